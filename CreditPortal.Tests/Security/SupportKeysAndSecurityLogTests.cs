using System.Net;
using CreditPortal.Ledger;
using CreditPortal.Support;
using CreditPortal.Tests.Api;
using CreditPortal.Tests.Infrastructure;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace CreditPortal.Tests.Security;

/// <summary>Issue #12: support keys over the API, the security log, and support disabling and unlocking a login.</summary>
public sealed class SupportKeysAndSecurityLogTests(ApiTestApp app) : IClassFixture<ApiTestApp>
{
    private const string OwnerPassword = "Owner#Pass2026";

    [Fact]
    public async Task SupportKeys_AreNamedListedAndRevoked_OverTheApi_AndTheSecurityLogSaysWhoDidIt()
    {
        using var support = app.Support();
        var missingName = await support.PostJsonAsync("api/v1/support-keys", "{}", HttpStatusCode.BadRequest);
        CreditPortal.Tests.Api.Api.AssertProblem(missingName, 400, field: "name");

        var created = await support.PostJsonAsync("api/v1/support-keys", """{"name":"nightly reconciliation script"}""");
        var key = (string)created["key"]!;
        Assert.StartsWith("cps_", key);
        using var script = app.As(key);
        await script.GetJsonAsync("api/v1/accounts");

        var listed = (await support.GetJsonAsync("api/v1/support-keys")).AsArray();
        var row = Assert.Single(listed, k => (long)k!["id"]! == (long)created["id"]!)!;
        Assert.Equal("nightly reconciliation script", (string)row["name"]!);
        Assert.DoesNotContain(key, listed.ToJsonString());

        await support.SendJsonAsync(HttpMethod.Delete, $"api/v1/support-keys/{(long)created["id"]!}", null, HttpStatusCode.NoContent);
        await script.GetJsonAsync("api/v1/accounts", HttpStatusCode.Unauthorized);
        Assert.NotNull((await support.GetJsonAsync("api/v1/support-keys")).AsArray().Single(k => (long)k!["id"]! == (long)created["id"]!)!["revokedAt"]);

        var log = (await support.GetJsonAsync("api/v1/security-log?limit=50")).AsArray();
        Assert.Contains(log, e => (string)e!["kind"]! == "support-key.created" && ((string)e["detail"]!).Contains("nightly reconciliation script"));
        Assert.Contains(log, e => (string)e!["kind"]! == "support-key.revoked" && (string)e["actor"]! == "support-key:bootstrap (#1)");
    }

    [Fact]
    public async Task SupportDisablesALoginWithAReason_ItsSessionEnds_ItCannotLogIn_UntilUnlocked_AndTheOwnerReadsItAll()
    {
        using var support = app.Support();
        var email = $"owner.{Guid.NewGuid():N}@disable.test";
        var accountId = await support.CreateAccountAsync("Disabled Co", $$""","ownerEmail":"{{email}}","ownerPassword":"{{OwnerPassword}}" """);
        using var ownerKey = app.As(await support.CreateKeyAsync(accountId));

        using var owner = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
        await PortalLogin.PostLoginAsync(owner, email, OwnerPassword);
        const string chosen = "Owner#Chosen2026";
        Assert.Equal(HttpStatusCode.Redirect, (await PortalLogin.PostPasswordChangeAsync(owner, OwnerPassword, chosen)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await owner.GetAsync($"accounts/{accountId}/balance")).StatusCode);

        var logins = app.Services.GetRequiredService<AccountLogins>();
        var login = Assert.Single(await logins.ListAsync(accountId));
        var agent = Actor.Support("Agent Smith");
        var noReason = await Assert.ThrowsAsync<LedgerValidationException>(() => logins.DisableAsync(accountId, login.Id, " ", agent, null));
        Assert.Equal("reason", noReason.Field);

        await logins.DisableAsync(accountId, login.Id, "card fraud reported by the bank", agent, null);
        var sent = await owner.GetAsync($"accounts/{accountId}/balance");
        Assert.Equal(HttpStatusCode.Redirect, sent.StatusCode);
        Assert.Contains("/account/login", sent.Headers.Location!.OriginalString);
        using var again = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
        var refused = await PortalLogin.PostLoginAsync(again, email, chosen);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains(CreditPortal.Identity.Pages.Login.Refused, await refused.Content.ReadAsStringAsync());

        await logins.UnlockAsync(accountId, login.Id, "bank cleared the card", agent, null);
        Assert.Equal(HttpStatusCode.Redirect, (await PortalLogin.PostLoginAsync(again, email, chosen)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await again.GetAsync($"accounts/{accountId}/balance")).StatusCode);

        // The audit trail (the owner's Audit trail page) has both changes, their reasons and support's display name, never an email...
        var audit = (await support.GetJsonAsync($"api/v1/accounts/{accountId}/audit"))["items"]!.AsArray();
        Assert.Contains(audit, a => (string)a!["action"]! == "login.disabled" && (string)a["reason"]! == "card fraud reported by the bank"
            && (string)a["actor"]! == "support:Agent Smith");
        Assert.Contains(audit, a => (string)a!["action"]! == "login.unlocked" && (string)a["reason"]! == "bank cleared the card");
        // ...and the account's security log: the password change, the disable, the refused login, the unlock.
        var kinds = (await ownerKey.GetJsonAsync($"api/v1/accounts/{accountId}/security-log")).AsArray().Select(e => (string)e!["kind"]!).ToList();
        Assert.Equal(["login.unlocked", "login.failed", "login.disabled", "password.changed"], kinds);
        Assert.All((await ownerKey.GetJsonAsync($"api/v1/accounts/{accountId}/security-log")).AsArray(), e => Assert.Equal(accountId, (long)e!["accountId"]!));
    }

    [Fact]
    public async Task AFailedLogin_IsInTheSecurityLog_WithTimeAndAddress()
    {
        using var browser = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
        var email = $"nobody.{Guid.NewGuid():N}@log.test";
        await PortalLogin.PostLoginAsync(browser, email, "Wrong#Pass2026");

        using var support = app.Support();
        var line = (await support.GetJsonAsync("api/v1/security-log")).AsArray().Single(e => (string?)e!["email"] == email)!;
        Assert.Equal("login.failed", (string)line["kind"]!);
        Assert.False(string.IsNullOrEmpty((string?)line["ip"]));
        Assert.Equal(ApiTestApp.Start, (DateTimeOffset)line["at"]!);
    }
}
