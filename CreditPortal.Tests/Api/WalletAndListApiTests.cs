using System.Net;

namespace CreditPortal.Tests.Api;

/// <summary>Wallet shape, lists, allocation (R4), cap (R6), plan (R7), settings, alerts, ledger.</summary>
public sealed class WalletAndListApiTests(ApiTestApp app) : IClassFixture<ApiTestApp>
{
    [Fact]
    public async Task Wallet_has_exactly_the_contract_shape()
    {
        using var support = app.Support();
        var account = await support.CreateAccountAsync("Shape", ""","productTypes":["Ticketing"]""");
        using var client = app.As(await support.CreateKeyAsync(account));
        var list = await client.CreateListAsync(account, "News");
        await support.GrantAsync(account, 300, expiresAt: "2027-03-01T00:00:00Z");

        var wallet = await client.WalletAsync(account);
        // "held": credits reserved by active holds, apart from "total" (issue #17).
        Assert.Equal(["channel", "plan", "total", "unassigned", "queued", "lots", "lists", "held"], wallet.AsObject().Select(p => p.Key));
        Assert.Equal(0, (long)wallet["held"]!);
        Assert.Equal("Email", (string)wallet["channel"]!);
        Assert.Equal("Packs", (string)wallet["plan"]!);
        Assert.Equal(2_800, (long)wallet["total"]!);
        Assert.Equal(2_800, (long)wallet["unassigned"]!);
        Assert.Equal(0, (int)wallet["queued"]!);
        var lot = wallet["lots"]![0]!.AsObject();
        Assert.Equal(["id", "kind", "quantity", "remaining", "expiresAt"], lot.Select(p => p.Key));
        // Monthly free credits end at the end of November in Rome: 23:00Z on the 30th, with an offset.
        Assert.Equal("MonthlyFree", (string)lot["kind"]!);
        Assert.Equal("2026-11-30T23:00:00+00:00", (string)lot["expiresAt"]!);
        var listView = wallet["lists"]![0]!.AsObject();
        Assert.Equal(["id", "name", "mode", "assigned", "capEnabled", "capPerMonth", "sentThisMonth"], listView.Select(p => p.Key));
        Assert.Equal(list, (long)listView["id"]!);
        Assert.Equal("Shared", (string)listView["mode"]!);
        Assert.Null(listView["capPerMonth"]);
        Assert.False((bool)listView["capEnabled"]!);
    }

    [Fact]
    public async Task Allocation_beyond_the_unassigned_pool_is_422_naming_what_is_available()
    {
        using var support = app.Support();
        var account = await support.CreateAccountAsync("Allocator");
        using var client = app.As(await support.CreateKeyAsync(account));
        var news = await client.CreateListAsync(account, "News");
        var promo = await client.CreateListAsync(account, "Promo");
        await support.GrantAsync(account, 1_000);

        var assigned = await client.PutJsonAsync($"api/v1/accounts/{account}/lists/{news}/allocation", """{"channel":"Email","mode":"Assigned","assigned":600}""");
        Assert.Equal("Assigned", (string)assigned["mode"]!);
        Assert.Equal(600, (long)assigned["assigned"]!);
        var before = await support.SnapshotAsync(account);

        var refused = await client.PutJsonAsync($"api/v1/accounts/{account}/lists/{promo}/allocation", """{"channel":"Email","mode":"Assigned","assigned":401}""",
            HttpStatusCode.UnprocessableEntity);
        Api.AssertProblem(refused, 422, code: "insufficient_unassigned");
        Assert.Contains("400", (string)refused["detail"]!);
        Assert.Equal(before, await support.SnapshotAsync(account));

        // A list with an assignment draws from it only (R4).
        await client.PostJsonAsync($"api/v1/accounts/{account}/consumptions", Api.Consumption(news, 100, "from-assignment"));
        var wallet = await client.WalletAsync(account);
        Assert.Equal(900, (long)wallet["total"]!);
        Assert.Equal(400, (long)wallet["unassigned"]!);
        Assert.Equal(500, (long)wallet["lists"]!.AsArray().Single(l => (long)l!["id"]! == news)!["assigned"]!);

        var shared = await client.PutJsonAsync($"api/v1/accounts/{account}/lists/{news}/allocation", """{"channel":"Email","mode":"Shared"}""");
        Assert.Equal(0, (long)shared["assigned"]!);
        Assert.Equal(900, (long)(await client.WalletAsync(account))["unassigned"]!);

        // Support acts with a reason, and the owner can read it in the audit trail.
        await support.PutJsonAsync($"api/v1/accounts/{account}/lists/{promo}/allocation",
            """{"channel":"Email","mode":"Assigned","assigned":50,"reason":"ticket 77"}""");
        var audit = await support.GetItemsAsync($"api/v1/accounts/{account}/audit");
        var entry = audit.First()!; // newest first
        Assert.Equal(["at", "actor", "action", "before", "after", "reason"], entry.AsObject().Select(p => p.Key));
        Assert.Equal("ticket 77", (string)entry["reason"]!);
        Assert.Equal("support-key:bootstrap (#1)", (string)entry["actor"]!);
        Assert.Empty(await app.LedgerCheckAsync());
    }

    [Fact]
    public async Task Duplicate_list_name_is_422_and_lists_are_listed()
    {
        using var support = app.Support();
        var account = await support.CreateAccountAsync("Lister");
        using var client = app.As(await support.CreateKeyAsync(account));
        var id = await client.CreateListAsync(account, "Weekly");
        Api.AssertProblem(await client.PostJsonAsync($"api/v1/accounts/{account}/lists", """{"name":"weekly"}""", HttpStatusCode.UnprocessableEntity),
            422, code: "duplicate_list_name");
        var lists = await client.GetJsonAsync($"api/v1/accounts/{account}/lists");
        Assert.Equal($$"""[{"id":{{id}},"name":"Weekly"}]""", lists.ToJsonString());
    }

    [Fact]
    public async Task Cap_is_set_and_lifted()
    {
        using var support = app.Support();
        var account = await support.CreateAccountAsync("Capper");
        using var client = app.As(await support.CreateKeyAsync(account));
        var list = await client.CreateListAsync(account, "News");
        await support.GrantAsync(account, 1_000);
        var capped = await client.PutJsonAsync($"api/v1/accounts/{account}/lists/{list}/cap", """{"channel":"Email","enabled":true,"perMonth":50}""");
        Assert.True((bool)capped["capEnabled"]!);
        Assert.Equal(50, (long)capped["capPerMonth"]!);
        Assert.Equal("monthly_cap", (string)(await client.PostJsonAsync($"api/v1/accounts/{account}/consumptions", Api.Consumption(list, 51, "c1")))["reason"]!);
        await client.PutJsonAsync($"api/v1/accounts/{account}/lists/{list}/cap", """{"channel":"Email","enabled":false}""");
        Assert.Equal("Accepted", (string)(await client.PostJsonAsync($"api/v1/accounts/{account}/consumptions", Api.Consumption(list, 51, "c2")))["status"]!);
    }

    [Fact]
    public async Task Plan_switches_and_back_from_Monthly_is_422_plan_switch_irreversible()
    {
        using var support = app.Support();
        var account = await support.CreateAccountAsync("Planner");
        using var client = app.As(await support.CreateKeyAsync(account));

        var free = await client.PutJsonAsync($"api/v1/accounts/{account}/wallets/Email/plan", """{"plan":"Free"}""");
        Assert.Equal("Free", (string)free["plan"]!);
        Assert.Equal(15_000, await client.TotalAsync(account));
        var monthly = await client.PutJsonAsync($"api/v1/accounts/{account}/wallets/Email/plan", """{"plan":"Monthly","monthlyCredits":50000,"paymentToken":"tok_ok","idempotencyKey":"monthly-1"}""");
        Assert.Equal("Monthly", (string)monthly["plan"]!);
        Assert.Equal(50_000, (long)monthly["monthlyCredits"]!);
        var before = await support.SnapshotAsync(account);

        foreach (var body in new[] { """{"plan":"Packs"}""", """{"plan":"Free"}""", """{"plan":"Pro","subscriberCount":100}""", """{"plan":"Standard","subscriberCount":100}""" })
        {
            var refused = await client.PutJsonAsync($"api/v1/accounts/{account}/wallets/Email/plan", body, HttpStatusCode.UnprocessableEntity);
            Api.AssertProblem(refused, 422, code: "plan_switch_irreversible");
        }
        Assert.Equal(before, await support.SnapshotAsync(account));
        // The other wallet is its own: SMS can still go anywhere.
        Assert.Equal("Pro", (string)(await client.PutJsonAsync($"api/v1/accounts/{account}/wallets/Sms/plan",
            """{"plan":"Pro","subscriberCount":100,"paymentToken":"tok_ok","idempotencyKey":"sms-pro"}"""))["plan"]!);
    }

    [Fact]
    public async Task Settings_change_only_what_is_given_and_low_balance_alerts_are_listed()
    {
        using var support = app.Support();
        var account = await support.CreateAccountAsync("Settler");
        using var client = app.As(await support.CreateKeyAsync(account));
        var list = await client.CreateListAsync(account, "News");

        var settings = await client.PutJsonAsync($"api/v1/accounts/{account}/settings",
            """{"billingContacts":["billing@settler.test"],"autoRenew":{"sms":true}}""");
        Assert.Equal("""["billing@settler.test"]""", settings["billingContacts"]!.ToJsonString());
        Assert.True((bool)settings["autoRenew"]!["Sms"]!);
        Assert.False((bool)settings["autoRenew"]!["Email"]!);
        Assert.False((bool)settings["holdWhenOutOfCredits"]!);
        settings = await client.PutJsonAsync($"api/v1/accounts/{account}/settings", """{"holdWhenOutOfCredits":true}""");
        Assert.True((bool)settings["holdWhenOutOfCredits"]!);
        Assert.Equal("""["billing@settler.test"]""", settings["billingContacts"]!.ToJsonString());
        await client.PutJsonAsync($"api/v1/accounts/{account}/settings", """{"holdWhenOutOfCredits":false}""");

        // R10: buy 10,000, spend down to 15% → one LowBalance15 alert.
        await client.PostJsonAsync($"api/v1/accounts/{account}/orders", """{"packId":"email-10000","paymentToken":"tok_ok","idempotencyKey":"p"}""");
        await client.PostJsonAsync($"api/v1/accounts/{account}/consumptions", Api.Consumption(list, 8_500, "spend"));
        var alerts = await client.GetItemsAsync($"api/v1/accounts/{account}/alerts");
        var alert = Assert.Single(alerts)!.AsObject();
        Assert.Equal(["at", "channel", "kind", "detail"], alert.Select(p => p.Key));
        Assert.Equal("LowBalance15", (string)alert["kind"]!);
        Assert.Equal("Email", (string)alert["channel"]!);

        var ledger = await client.GetItemsAsync($"api/v1/accounts/{account}/ledger?channel=Email&from=2026-11-10&to=2026-11-10");
        Assert.Equal(["Purchase", "Consumption"], ledger.Select(e => (string)e!["kind"]!));
        Assert.All(ledger, e => Assert.True(e!.AsObject().ContainsKey("actor")));
        Assert.Empty(await client.GetItemsAsync($"api/v1/accounts/{account}/ledger?from=2026-11-11"));
    }

    [Fact]
    public async Task The_pack_auto_renew_buys_is_set_per_channel_null_goes_back_to_the_last_bought_and_a_wrong_pack_is_400()
    {
        using var support = app.Support();
        var account = await support.CreateAccountAsync("Pack chooser");
        using var client = app.As(await support.CreateKeyAsync(account));

        var settings = await client.GetJsonAsync($"api/v1/accounts/{account}/settings");
        Assert.Equal("""{"Email":null,"Sms":null}""", settings["autoRenewPack"]!.ToJsonString());
        settings = await client.PutJsonAsync($"api/v1/accounts/{account}/settings", """{"autoRenewPack":{"email":"email-50000","Sms":"sms-5000"}}""");
        Assert.Equal("""{"Email":"email-50000","Sms":"sms-5000"}""", settings["autoRenewPack"]!.ToJsonString());
        settings = await client.PutJsonAsync($"api/v1/accounts/{account}/settings", """{"autoRenewPack":{"Sms":null}}""");
        Assert.Equal("""{"Email":"email-50000","Sms":null}""", settings["autoRenewPack"]!.ToJsonString());

        var before = await support.SnapshotAsync(account);
        var wrong = await client.PutJsonAsync($"api/v1/accounts/{account}/settings",
            """{"holdWhenOutOfCredits":true,"autoRenewPack":{"Email":"sms-1000"}}""", HttpStatusCode.BadRequest);
        Api.AssertProblem(wrong, 400, field: "autoRenewPack.Email");
        var channel = await client.PutJsonAsync($"api/v1/accounts/{account}/settings", """{"autoRenewPack":{"Fax":"email-5000"}}""", HttpStatusCode.BadRequest);
        Api.AssertProblem(channel, 400, field: "autoRenewPack.Fax");
        Assert.Equal(before, await support.SnapshotAsync(account));

        using var sender = app.As(await support.CreateKeyAsync(account, "sender only", manage: false));
        await sender.PutJsonAsync($"api/v1/accounts/{account}/settings", """{"autoRenewPack":{"Email":null}}""", HttpStatusCode.Forbidden);
    }
}
