using System.Net;
using CreditPortal.Identity;
using CreditPortal.Tests.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CreditPortal.Tests.Api;

/// <summary>Support endpoints: accounts (with the owner's login), search, adjustments, audit.</summary>
public sealed class SupportApiTests(ApiTestApp app) : IClassFixture<ApiTestApp>
{
    [Fact]
    public async Task New_account_with_owner_fields_gets_a_working_portal_login()
    {
        using var support = app.Support();
        var id = await support.CreateAccountAsync("Owned Co",
            ""","timeZone":"America/New_York","productTypes":["Ticketing","Domain"],"ownerEmail":"owner@owned.test","ownerPassword":"Owned#Pass2026" """);
        var wallet = await support.WalletAsync(id);
        Assert.Equal(2_750, (long)wallet["total"]!); // R2: Ticketing 2,500 + Domain 250
        var settings = await support.GetJsonAsync($"api/v1/accounts/{id}/settings");
        Assert.Equal("America/New_York", (string)settings["timeZone"]!);

        using var scope = app.Services.CreateScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>();
        var owner = await users.FindByEmailAsync("owner@owned.test");
        Assert.NotNull(owner);
        Assert.Equal(id, owner.AccountId);
        Assert.True(await users.CheckPasswordAsync(owner, "Owned#Pass2026"));
        Assert.True(await users.IsInRoleAsync(owner, PortalRoles.Owner));

        // The login form accepts it.
        using var browser = app.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        using var login = await PortalLogin.PostLoginAsync(browser, "owner@owned.test", "Owned#Pass2026");
        Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);
        Assert.DoesNotContain("/account/login", login.Headers.Location!.OriginalString);

        var audit = await support.GetItemsAsync($"api/v1/accounts/{id}/audit");
        Assert.Contains(audit, a => (string)a!["action"]! == "login.created" && (string)a["after"]! == "owner@owned.test");
        // Support finds the account by its owner's email too.
        Assert.Contains((await support.GetJsonAsync("api/v1/accounts?search=owner@owned")).AsArray(), n => (long)n!["id"]! == id);
    }

    [Fact]
    public async Task Taken_owner_email_is_409_and_creates_no_account()
    {
        using var support = app.Support();
        await support.CreateAccountAsync("First", ""","ownerEmail":"taken@owned.test","ownerPassword":"Owned#Pass2026" """);
        await using var db = app.Database.CreateContext();
        var accounts = await db.Accounts.CountAsync();
        var problem = await support.PostJsonAsync("api/v1/accounts", """{"name":"Second","ownerEmail":"taken@owned.test","ownerPassword":"Owned#Pass2026"}""",
            HttpStatusCode.Conflict);
        Api.AssertProblem(problem, 409, "ownerEmail", "duplicate_email");
        Assert.Equal(accounts, await db.Accounts.CountAsync());
    }

    [Fact]
    public async Task Search_finds_accounts_by_name_part_or_id()
    {
        using var support = app.Support();
        var a = await support.CreateAccountAsync("Zebra Newsletters");
        var b = await support.CreateAccountAsync("zebra_mail half%");
        await support.CreateAccountAsync("Yak Mail");

        var found = (await support.GetJsonAsync("api/v1/accounts?search=ZEBRA")).AsArray();
        Assert.Equal([a, b], found.Select(n => (long)n!["id"]!).Order());
        Assert.All(found, n => Assert.Equal(["id", "name"], n!.AsObject().Select(p => p.Key)));
        // LIKE wildcards in the search are plain characters.
        Assert.Equal([b], (await support.GetJsonAsync("api/v1/accounts?search=half%25")).AsArray().Select(n => (long)n!["id"]!));
        Assert.Empty((await support.GetJsonAsync("api/v1/accounts?search=_mail_")).AsArray());
        Assert.Equal([a], (await support.GetJsonAsync($"api/v1/accounts?search={a}")).AsArray().Select(n => (long)n!["id"]!));
        Assert.True((await support.GetJsonAsync("api/v1/accounts")).AsArray().Count >= 3);
    }

    [Fact]
    public async Task Adjustment_grants_a_lot_with_its_reason_in_ledger_and_audit()
    {
        using var support = app.Support();
        var account = await support.CreateAccountAsync("Adjusted");
        var lotId = await support.GrantAsync(account, 1_234, "Sms", "2027-01-31T23:00:00+00:00");
        var lot = (await support.WalletAsync(account, "Sms"))["lots"]!.AsArray().Single()!;
        Assert.Equal(lotId, (long)lot["id"]!);
        Assert.Equal("Adjustment", (string)lot["kind"]!);
        Assert.Equal(1_234, (long)lot["remaining"]!);
        Assert.Equal("2027-01-31T23:00:00+00:00", (string)lot["expiresAt"]!);

        var entry = (await support.GetItemsAsync($"api/v1/accounts/{account}/ledger?channel=Sms")).Single()!;
        Assert.Equal("Adjustment", (string)entry["kind"]!);
        Assert.Equal("test grant", (string)entry["reason"]!);
        Assert.Equal(lotId, (long)entry["lotId"]!);
        Assert.Equal("support-key:bootstrap (#1)", (string)entry["actor"]!);
        Assert.Contains(await support.GetItemsAsync($"api/v1/accounts/{account}/audit"),
            a => (string)a!["action"]! == "adjustment.Sms" && (string)a["reason"]! == "test grant");
    }

    [Fact]
    public async Task Support_key_created_by_the_service_is_a_support_key_and_the_bootstrap_is_idempotent()
    {
        var keys = app.Services.GetRequiredService<CreditPortal.Api.ApiKeyService>();
        var created = await keys.CreateSupportKeyAsync("ops script", CreditPortal.Ledger.Actor.Support("ops@provider.test"));
        Assert.StartsWith(CreditPortal.Api.ApiKeyService.SupportKeyPrefix, created.Key);
        using var ops = app.As(created.Key);
        var id = await ops.CreateAccountAsync("Made by ops");
        Assert.True(id > 0);

        await keys.EnsureSupportKeyAsync(ApiTestApp.SupportKey);
        await keys.EnsureSupportKeyAsync(ApiTestApp.SupportKey);
        await using var db = app.Database.CreateContext();
        var hash = CreditPortal.Api.ApiKeyService.Hash(ApiTestApp.SupportKey);
        Assert.Equal(1, await db.ApiKeys.CountAsync(k => k.Hash == hash));

        await keys.RevokeAsync(created.Info.Id, null, CreditPortal.Ledger.Actor.Support("ops@provider.test"));
        await ops.GetJsonAsync("api/v1/catalog", HttpStatusCode.Unauthorized);
    }
}
