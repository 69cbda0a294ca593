using System.Net;

namespace CreditPortal.Tests.Api;

/// <summary>
/// Issue #17, the balance at a past instant: <c>GET .../wallets/{channel}?at=</c> rebuilds the wallet from the ledger,
/// and answers exactly what the plain GET answered at that instant, across purchases, sends, allocations, caps, a held
/// queue, month-start top-ups, an expiry and an R3 expiry move. Its own app: it moves the manual clock.
/// </summary>
public sealed class WalletAtInstantTests(WalletAtInstantTests.App app) : IClassFixture<WalletAtInstantTests.App>
{
    public sealed class App : ApiTestApp;

    [Fact]
    public async Task The_wallet_at_an_instant_is_what_the_api_answered_then()
    {
        using var support = app.Support();
        var account = await support.CreateAccountAsync("History", ""","productTypes":["Ticketing"]""");
        var news = await support.CreateListAsync(account, "News");
        var promo = await support.CreateListAsync(account, "Promo");
        var seen = new List<(string At, string Channel, string Answer)>();
        var now = ApiTestApp.Start;

        async Task Advance(TimeSpan by)
        {
            now += by;
            await support.PutJsonAsync("api/v1/clock", $$"""{"now":"{{now:O}}"}""");
        }
        async Task Look()
        {
            foreach (var channel in new[] { "Email", "Sms" })
                seen.Add((now.ToString("O"), channel, (await support.GetJsonAsync($"api/v1/accounts/{account}/wallets/{channel}")).ToJsonString()));
            await Advance(TimeSpan.FromMinutes(1)); // what happens next is after the instant looked at
        }
        string Send(long list, long quantity, string key, string channel = "Email", string? country = null)
            => Api.Consumption(list, quantity, key, channel, country);

        await Look();
        await support.PostJsonAsync($"api/v1/accounts/{account}/orders", """{"packId":"email-5000","paymentToken":"tok_ok","idempotencyKey":"o1"}""");
        await support.GrantAsync(account, 300, "Sms", now.AddDays(20).ToString("O"));
        await Advance(TimeSpan.FromHours(1));
        await Look();
        await support.PostJsonAsync($"api/v1/accounts/{account}/consumptions", Send(news, 1_200, "s1"));
        await support.PutJsonAsync($"api/v1/accounts/{account}/lists/{promo}/allocation", """{"channel":"Email","mode":"Assigned","assigned":800,"reason":"launch"}""");
        await support.PutJsonAsync($"api/v1/accounts/{account}/lists/{news}/cap", """{"channel":"Email","enabled":true,"perMonth":2000,"reason":"budget"}""");
        await support.PostJsonAsync($"api/v1/accounts/{account}/consumptions", Send(promo, 100, "s2", "Sms", "US"));
        await Advance(TimeSpan.FromDays(2));
        await Look();
        await support.PutJsonAsync($"api/v1/accounts/{account}/lists/{news}/cap", """{"channel":"Email","enabled":false,"reason":"lifted"}""");
        await support.PutJsonAsync($"api/v1/accounts/{account}/settings", """{"holdWhenOutOfCredits":true}""");
        await support.PostJsonAsync($"api/v1/accounts/{account}/consumptions", Send(promo, 900, "s3")); // more than Promo's 800: held
        await Advance(TimeSpan.FromDays(1));
        await Look();
        await support.PostJsonAsync($"api/v1/accounts/{account}/orders", """{"packId":"sms-1000","paymentToken":"tok_ok","idempotencyKey":"o2"}"""); // moves the SMS expiry (R3)
        await support.PutJsonAsync($"api/v1/accounts/{account}/lists/{promo}/allocation", """{"channel":"Email","mode":"Assigned","assigned":1000,"reason":"release"}""");
        await Advance(TimeSpan.FromDays(35)); // a month start: the free lot expires and the top-up comes
        await Look();
        await support.PostJsonAsync($"api/v1/accounts/{account}/consumptions", Send(news, 3_000, "s4"));
        await Advance(TimeSpan.FromMinutes(5));
        await Look();

        foreach (var (at, channel, answer) in seen)
        {
            var then = await support.GetJsonAsync($"api/v1/accounts/{account}/wallets/{channel}?at={Uri.EscapeDataString(at)}");
            Assert.True(answer == then.ToJsonString(), $"{channel} at {at}:\nthen: {answer}\nnow:  {then.ToJsonString()}");
        }
        Assert.Contains(seen, s => s.Answer.Contains("\"queued\":1", StringComparison.Ordinal)); // the scenario did hold a send

        var future = await support.GetJsonAsync($"api/v1/accounts/{account}/wallets/Email?at={Uri.EscapeDataString(now.AddDays(1).ToString("O"))}",
            HttpStatusCode.BadRequest);
        Api.AssertProblem(future, 400, field: "at");
        Api.AssertProblem(await support.GetJsonAsync($"api/v1/accounts/{account}/wallets/Email?at=yesterday", HttpStatusCode.BadRequest), 400, field: "at");
    }
}
