using Bunit;
using CreditPortal.Features.Security;
using CreditPortal.Features.Support;
using CreditPortal.Identity;
using CreditPortal.Security;
using CreditPortal.Tests.Features.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CreditPortal.Tests.Features.Security;

/// <summary>Issue #12 in the portal: support disables a login and manages support keys in the console; an owner reads their
/// account's security log and nobody else's.</summary>
public sealed class SecurityPagesTests : SupportBunitContext
{
    private async Task<string> CreateOwnerAsync(long accountId, string email)
    {
        await using var scope = Services.CreateAsyncScope();
        Assert.True((await scope.ServiceProvider.GetRequiredService<PortalUsers>().CreateOwnerAsync(accountId, email, "Owner#Pass2026")).Succeeded);
        await using var db = Database.CreateContext();
        return (await db.Users.SingleAsync(u => u.Email == email)).Id;
    }

    [Fact]
    public async Task SupportDisablesALogin_OnlyWithAReason_AndTheAuditTrailSaysWhoAndWhy()
    {
        var id = await CreateAccountIdAsync("Acme");
        var loginId = await CreateOwnerAsync(id, "owner@acme.test");
        SignInAsSupport("agent@provider.test");
        var page = RenderPage<SupportAccount>(id);
        var form = $"form[data-testid=login-access-{loginId}]";
        page.WaitForAssertion(() => Assert.Equal("can log in", page.Find("[data-testid=account-login-status]").TextContent));

        await page.Find(form).SubmitAsync();
        page.WaitForAssertion(() => Assert.Contains("reason is required.", page.Find(form).TextContent));
        await using (var db = Database.CreateContext())
            Assert.Null((await db.Users.SingleAsync(u => u.Id == loginId)).DisabledReason);

        page.Find($"input[name=login-access-{loginId}-reason]").Change("card fraud reported");
        await page.Find(form).SubmitAsync();

        page.WaitForAssertion(() => Assert.Equal("disabled: card fraud reported", page.Find("[data-testid=account-login-status]").TextContent));
        await using (var db = Database.CreateContext())
            Assert.Equal("card fraud reported", (await db.Users.SingleAsync(u => u.Id == loginId)).DisabledReason);
        Assert.Contains((await Queries.GetAuditAsync(id)).Items,
            a => a.Action == "login.disabled" && a.Reason == "card fraud reported" && a.Actor == "support:Agent Smith");
    }

    [Fact]
    public async Task SupportCreatesAndRevokesASupportKey_InTheConsole_AndTheSecurityLogShowsBoth()
    {
        SignInAsSupport("agent@provider.test", "Agent Smith");
        var page = RenderWithProviders(b =>
        {
            b.OpenComponent<SupportSecurity>(0);
            b.CloseComponent();
        });
        page.WaitForAssertion(() => page.Find("input[name=support-key-name]"));

        page.Find("input[name=support-key-name]").Change("reconciliation script");
        await page.Find("form[data-testid=create-support-key]").SubmitAsync();
        page.WaitForAssertion(() => Assert.StartsWith("cps_", page.Find("input[data-testid=support-key-secret]").GetAttribute("value")));
        page.WaitForAssertion(() => Assert.Contains(page.FindAll("[data-testid=support-key-row-name]"), c => c.TextContent == "reconciliation script"));

        page.Find("[data-testid=support-key-revoke]").Click();
        page.WaitForAssertion(() => page.FindAll("button").First(b => b.TextContent.Trim() == "Revoke"));
        page.FindAll("button").First(b => b.TextContent.Trim() == "Revoke").Click();
        page.WaitForAssertion(() => Assert.Empty(page.FindAll("[data-testid=support-key-revoke]")));

        var key = Assert.Single(await Services.GetRequiredService<CreditPortal.Api.ApiKeyService>().ListAsync(null));
        Assert.NotNull(key.RevokedAt);
        var log = await Services.GetRequiredService<SecurityLog>().ReadAsync(null);
        Assert.Contains(log, e => e.Kind == SecurityEventKinds.SupportKeyCreated && e.Actor == "support:Agent Smith");
        Assert.Contains(log, e => e.Kind == SecurityEventKinds.SupportKeyRevoked && e.Actor == "support:Agent Smith");
    }

    [Fact]
    public async Task AnOwner_ReadsTheirAccountsSecurityLog_AndNoOneElses()
    {
        var mine = AddAccount("Mine");
        var theirs = AddAccount("Theirs");
        var log = Services.GetRequiredService<SecurityLog>();
        await log.RecordAsync(SecurityEventKinds.LoginFailed, "me@mine.test", mine.Id, "198.51.100.4", detail: "wrong password");
        await log.RecordAsync(SecurityEventKinds.PasswordChanged, "them@theirs.test", theirs.Id, "203.0.113.9");
        SignInAsOwner(mine, "me@mine.test");

        var page = RenderPage<AccountSecurity>(mine.Id);
        page.WaitForAssertion(() => Assert.Single(page.FindAll("[data-testid=security-kind]")));
        Assert.Equal(SecurityEventKinds.LoginFailed, page.Find("[data-testid=security-kind]").TextContent);
        Assert.Contains("198.51.100.4", page.Markup);
        Assert.DoesNotContain("them@theirs.test", page.Markup);

        var other = RenderPage<AccountSecurity>(theirs.Id);
        other.WaitForAssertion(() => other.Find("[data-testid=not-found]"));
        Assert.DoesNotContain("them@theirs.test", other.Markup);
    }

    [Fact]
    public async Task SupportDisablesAnotherSupportLogin_WithAReason_ButNotTheirOwn()
    {
        await using (var scope = Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<PortalUsers>();
            Assert.True((await users.CreateSupportAsync("agent@provider.test", "Agent#Pass2026", "Agent Smith")).Succeeded);
            Assert.True((await users.CreateSupportAsync("leaver@provider.test", "Leaver#Pass2026", "Lee Leaver")).Succeeded);
        }
        SignInAsSupport("agent@provider.test", "Agent Smith");
        var page = RenderWithProviders(b =>
        {
            b.OpenComponent<SupportSecurity>(0);
            b.CloseComponent();
        });
        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll("[data-testid=account-login]").Count));
        var mine = page.Find("[data-testid=account-login][data-email='agent@provider.test']");
        Assert.NotNull(mine.QuerySelector("[data-testid=account-login-self]"));
        Assert.Null(mine.QuerySelector("form"));

        await using var db = Database.CreateContext();
        var leaver = await db.Users.SingleAsync(u => u.Email == "leaver@provider.test");
        page.Find($"input[name=login-access-{leaver.Id}-reason]").Change("left the support team");
        await page.Find($"form[data-testid=login-access-{leaver.Id}]").SubmitAsync();

        page.WaitForAssertion(() => Assert.Contains("disabled: left the support team",
            page.Find("[data-testid=account-login][data-email='leaver@provider.test']").TextContent));
        var line = Assert.Single(await Services.GetRequiredService<SecurityLog>().ReadAsync(null), e => e.Kind == SecurityEventKinds.LoginDisabled);
        Assert.Equal(("leaver@provider.test", (long?)null, "support:Agent Smith", "left the support team"), (line.Email, line.AccountId, line.Actor, line.Detail));
    }
}
