using Bunit;
using CreditPortal.Audit;
using CreditPortal.Features.Audit;
using CreditPortal.Ledger;
using CreditPortal.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace CreditPortal.Tests.Features.Audit;

public sealed class AuditTrailTests : PortalBunitContext
{
    public AuditTrailTests() => Services.AddSingleton<LedgerQueries>();

    private void AddEntry(Account account, string actor, string action, string? before, string? after, string? reason, int minutes)
    {
        using var db = Database.CreateContext();
        db.AuditEntries.Add(new AuditEntry { AccountId = account.Id, At = Clock.GetUtcNow().AddMinutes(minutes), Actor = actor, Action = action, Before = before, After = after, Reason = reason });
        db.SaveChanges();
    }

    [Fact]
    public void Owner_ReadsTheirTrail_NewestFirst_WithBeforeAfterAndReason()
    {
        var account = AddAccount("Acme");
        AddEntry(account, "owner:ann@acme.test", "settings.hold", "off", "on", null, 0);
        AddEntry(account, "support:bob@provider.test", "list.allocation.Email", "#3 Shared", "#3 Assigned 500", "customer asked by phone", 5);
        SignInAsOwner(account);

        var page = Render<AuditTrail>(p => p.Add(x => x.AccountId, account.Id));

        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll("[data-testid=audit-change]").Count));
        var rows = page.FindAll("tr.audit-row");
        Assert.Contains("Support — bob@provider.test", rows[0].TextContent);
        Assert.Contains("#3 Shared → #3 Assigned 500", rows[0].TextContent);
        Assert.Contains("customer asked by phone", rows[0].TextContent);
        Assert.Contains("List allocation (Email)", rows[0].TextContent);
        Assert.Contains("Settings hold when out of credits", rows[1].TextContent);
        // 22 Nov 2026 09:05 UTC is 10:05 in Rome.
        Assert.Contains("22 Nov 2026, 10:05", rows[0].TextContent);
        Assert.Contains("Owner — ann@acme.test", rows[1].TextContent);
    }

    [Fact]
    public void Owner_WithNothingChanged_SeesTheEmptyState()
    {
        var account = AddAccount("Acme");
        SignInAsOwner(account);
        var page = Render<AuditTrail>(p => p.Add(x => x.AccountId, account.Id));
        page.WaitForAssertion(() => Assert.NotNull(page.Find("[data-testid=audit-empty]")));
    }

    [Fact]
    public void Owner_OfAnotherAccount_GetsNotFound_AndNoEntryLeaks()
    {
        var mine = AddAccount("Mine");
        var theirs = AddAccount("Theirs");
        AddEntry(theirs, "support:bob@provider.test", "adjustment.Email", null, "lot #9: +500", "secret reason", 0);
        SignInAsOwner(mine);

        var page = Render<AuditTrail>(p => p.Add(x => x.AccountId, theirs.Id));

        page.WaitForAssertion(() => Assert.NotNull(page.Find("[data-testid=not-found]")));
        Assert.DoesNotContain("secret reason", page.Markup);
    }

    [Fact]
    public void Support_ReadsAnyAccountsTrail()
    {
        var account = AddAccount("Acme");
        AddEntry(account, "owner:ann@acme.test", "plan.Email", "Packs", "Free", null, 0);
        SignInAsSupport();
        var page = Render<AuditTrail>(p => p.Add(x => x.AccountId, account.Id));
        page.WaitForAssertion(() => Assert.Contains("Packs → Free", page.Find("[data-testid=audit-change]").TextContent));
    }
}
