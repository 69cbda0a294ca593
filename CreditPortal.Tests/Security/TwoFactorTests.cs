using System.Net;
using System.Text.RegularExpressions;
using CreditPortal.Identity;
using CreditPortal.Tests.Api;
using CreditPortal.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace CreditPortal.Tests.Security;

/// <summary>Issue #12: two-factor login with an authenticator app, required for support staff, optional for owners.</summary>
public sealed partial class TwoFactorTests
{
    private static async Task<HttpResponseMessage> PostFormAsync(HttpClient client, string page, string handler, Dictionary<string, string> fields)
    {
        var html = await client.GetStringAsync(page);
        fields["_handler"] = handler;
        fields["__RequestVerificationToken"] = PortalLogin.TokenIn(html)!;
        return await client.PostAsync(page, new FormUrlEncodedContent(fields));
    }

    /// <summary>Turns two-factor login on through the page; returns the key and the recovery codes.</summary>
    private static async Task<(string Key, List<string> RecoveryCodes)> TurnOnAsync(HttpClient client, string page = "account/two-factor")
    {
        var html = await client.GetStringAsync(page);
        Assert.Contains("data:image/png;base64,", html); // the QR code
        var key = KeyShown().Match(html).Groups[1].Value;
        Assert.NotEmpty(key);

        var wrong = await PostFormAsync(client, page, "two-factor-enable", new() { ["Enable.Code"] = "000000" == Totp.Code(key, DateTimeOffset.UtcNow) ? "111111" : "000000" });
        Assert.Equal(HttpStatusCode.BadRequest, wrong.StatusCode);

        var on = await PostFormAsync(client, page, "two-factor-enable", new() { ["Enable.Code"] = Totp.Code(key, DateTimeOffset.UtcNow) });
        Assert.Equal(HttpStatusCode.OK, on.StatusCode);
        var codes = RecoveryCode().Matches(await on.Content.ReadAsStringAsync()).Select(m => m.Groups[1].Value).ToList();
        Assert.Equal(10, codes.Count);
        return (key, codes);
    }

    [Fact]
    public async Task ASupportLogin_MustSetUpAnAuthenticator_ThenLogsInWithItsCodeOrARecoveryCodeOnce()
    {
        using var database = new TempDatabase("two-factor");
        var created = await AppCommand.RunAsync(database.ConnectionString, "Production", "add-support-user", "tfa@provider.test");
        var oneTime = Regex.Match(created.Output, @"^password: (\S+)$", RegexOptions.Multiline).Groups[1].Value;
        await using var server = await PortalServer.StartAsync(database.ConnectionString, new Dictionary<string, string> { ["ASPNETCORE_ENVIRONMENT"] = "Production" });

        using var first = RawCookies.Client(server.BaseAddress, out _);
        await PortalLogin.PostLoginAsync(first, "tfa@provider.test", oneTime, "/support");
        const string password = "Tfa#Chosen2026";
        Assert.Equal(HttpStatusCode.Redirect, (await PortalLogin.PostPasswordChangeAsync(first, oneTime, password)).StatusCode);

        // Support without an authenticator: every portal page sends it to the setup page first.
        var support = await first.GetAsync("support");
        Assert.Equal(HttpStatusCode.Redirect, support.StatusCode);
        Assert.Equal("/account/two-factor?returnUrl=%2Fsupport", ProductionStartTests.PathOf(support));
        Assert.Contains("data-testid=\"two-factor-due\"", await first.GetStringAsync("account/two-factor?returnUrl=%2Fsupport"));
        var (key, recoveryCodes) = await TurnOnAsync(first, "account/two-factor?returnUrl=%2Fsupport");
        Assert.Equal(HttpStatusCode.OK, (await first.GetAsync("support")).StatusCode);

        // The next login asks for the code after the password.
        using var second = RawCookies.Client(server.BaseAddress, out _);
        var login = await PortalLogin.PostLoginAsync(second, "tfa@provider.test", password, "/support");
        Assert.Equal("/account/login/two-factor?returnUrl=%2Fsupport", ProductionStartTests.PathOf(login));
        Assert.Equal(HttpStatusCode.Redirect, (await second.GetAsync("support")).StatusCode); // the password alone is no login
        var wrong = await PostFormAsync(second, "account/login/two-factor?returnUrl=%2Fsupport", "login-two-factor", new() { ["Input.Code"] = "12345678901" });
        Assert.Equal(HttpStatusCode.BadRequest, wrong.StatusCode);
        var right = await PostFormAsync(second, "account/login/two-factor?returnUrl=%2Fsupport", "login-two-factor",
            new() { ["Input.Code"] = Totp.Code(key, DateTimeOffset.UtcNow), ["Input.ReturnUrl"] = "/support" });
        Assert.Equal("/support", ProductionStartTests.PathOf(right));
        Assert.Equal(HttpStatusCode.OK, (await second.GetAsync("support")).StatusCode);

        // A recovery code works once.
        for (var attempt = 0; attempt < 2; attempt++)
        {
            using var third = RawCookies.Client(server.BaseAddress, out _);
            await PortalLogin.PostLoginAsync(third, "tfa@provider.test", password);
            var answer = await PostFormAsync(third, "account/login/two-factor", "login-two-factor", new() { ["Input.Code"] = recoveryCodes[0] });
            Assert.Equal(attempt == 0 ? HttpStatusCode.Redirect : HttpStatusCode.BadRequest, answer.StatusCode);
        }

        // Support cannot turn it off while it is required.
        Assert.DoesNotContain("data-testid=\"two-factor-disable\"", await second.GetStringAsync("account/two-factor"));
    }

    [Fact]
    public async Task AnOwner_MayTurnTwoFactorLoginOnAndOff()
    {
        await using var app = new SystemClockApiTestApp(); // the authenticator codes are computed from the real time
        const string email = "owner@tfa.test", password = "Owner#Tfa2026";
        long accountId;
        using (var support = app.Support())
            accountId = await support.CreateAccountAsync("Two factor Co");
        await using (var scope = app.Services.CreateAsyncScope())
            Assert.True((await scope.ServiceProvider.GetRequiredService<PortalUsers>().CreateOwnerAsync(accountId, email, password)).Succeeded);

        var jar = RawCookies.ForTestServer();
        using var owner = app.CreateDefaultClient(jar);
        Assert.Equal("/", ProductionStartTests.PathOf(await PortalLogin.PostLoginAsync(owner, email, password)));
        Assert.Equal(HttpStatusCode.OK, (await owner.GetAsync($"accounts/{accountId}/balance")).StatusCode); // optional: not asked for
        var (key, _) = await TurnOnAsync(owner);

        using var again = app.CreateDefaultClient(RawCookies.ForTestServer());
        Assert.StartsWith("/account/login/two-factor", ProductionStartTests.PathOf(await PortalLogin.PostLoginAsync(again, email, password)));

        var off = await PostFormAsync(owner, "account/two-factor", "two-factor-disable", new() { ["Disable.Code"] = Totp.Code(key, DateTimeOffset.UtcNow) });
        Assert.Equal(HttpStatusCode.OK, off.StatusCode);
        using var plain = app.CreateDefaultClient(RawCookies.ForTestServer());
        Assert.Equal("/", ProductionStartTests.PathOf(await PortalLogin.PostLoginAsync(plain, email, password)));

        using var supportKey = app.Support();
        var kinds = (await supportKey.GetJsonAsync("api/v1/security-log")).AsArray().Where(e => (string?)e!["email"] == email).Select(e => (string)e!["kind"]!).ToList();
        Assert.Contains("two-factor.enabled", kinds);
        Assert.Contains("two-factor.disabled", kinds);
    }

    [GeneratedRegex("data-testid=\"authenticator-key\">([A-Z2-7]+)<")]
    private static partial Regex KeyShown();

    [GeneratedRegex(@"<li><code>([^<]+)</code></li>")]
    private static partial Regex RecoveryCode();
}
