using System.Globalization;
using CreditPortal.Audit;
using CreditPortal.Data;
using CreditPortal.Formatting;
using CreditPortal.Ledger;
using Microsoft.EntityFrameworkCore;

namespace CreditPortal.Support;

/// <summary>A plan help request as the pages show it (with the account's name for support).</summary>
public sealed record PlanHelpView(long Id, long AccountId, string AccountName, long MonthlyVolume, string? Message, DateTimeOffset RequestedAt,
    string RequestedBy, string? Answer, DateTimeOffset? AnsweredAt, string? AnsweredBy, DateTimeOffset? ClosedAt)
{
    public bool Open => ClosedAt is null;
}

/// <summary>
/// "Help me choose" (R7, source 003): owners ask for advice with their monthly volume; the request lands on the support
/// dashboard as open; support answers it (the owner reads the answer on Plans) and closes it. Each step is in the account's
/// audit trail, written in the same transaction as the change (<c>plan.help.requested</c>, <c>.answered</c>, <c>.closed</c>).
/// Owners reach only their own account's requests (the pages pass the account the owner was let into).
/// </summary>
public sealed class PlanHelp(IDbContextFactory<CreditPortalDbContext> dbFactory, TimeProvider clock)
{
    public const int MaxText = 2_000;
    public const long MaxVolume = 1_000_000_000;

    public async Task<long> RequestAsync(long accountId, long? monthlyVolume, string? message, Actor actor)
    {
        if (monthlyVolume is not { } volume || volume is < 1 or > MaxVolume)
            throw new LedgerValidationException("monthlyVolume", $"Give the messages you send in a month, from 1 to {PortalFormat.Credits(MaxVolume)}.");
        var text = Validate.OptionalText(message, "message", MaxText);
        await using var db = await dbFactory.CreateDbContextAsync();
        if (!await db.Accounts.AnyAsync(a => a.Id == accountId)) throw new LedgerNotFoundException($"Account {accountId}");
        var now = clock.GetUtcNow();
        var request = new PlanHelpRequest
        {
            AccountId = accountId, MonthlyVolume = volume, Message = string.IsNullOrWhiteSpace(text) ? null : text.Trim(), RequestedAt = now,
            RequestedBy = actor.ToString(),
        };
        db.Add(request);
        db.AuditEntries.Add(Audit(accountId, actor, "plan.help.requested", null, $"monthly volume {volume.ToString(CultureInfo.InvariantCulture)}", now));
        await db.SaveChangesAsync(); // the request and its audit entry in one transaction
        return request.Id;
    }

    /// <summary>The account's requests, newest first (an owner's own account only: the page passes the account it opened).</summary>
    public async Task<IReadOnlyList<PlanHelpView>> ForAccountAsync(long accountId)
    {
        await using var db = await dbFactory.CreateDbContextAsync();
        return (await ViewsAsync(db, db.Set<PlanHelpRequest>().Where(r => r.AccountId == accountId))).OrderByDescending(v => v.Id).ToList();
    }

    /// <summary>Every open request, oldest first: the support dashboard's list.</summary>
    public async Task<IReadOnlyList<PlanHelpView>> OpenAsync()
    {
        await using var db = await dbFactory.CreateDbContextAsync();
        return (await ViewsAsync(db, db.Set<PlanHelpRequest>().Where(r => r.ClosedAt == null))).OrderBy(v => v.Id).ToList();
    }

    /// <summary>Support's answer (a new one replaces the last); only while the request is open.</summary>
    public async Task AnswerAsync(long requestId, string? answer, Actor actor)
    {
        var text = Validate.Text(answer, "answer", MaxText).Trim();
        await using var db = await dbFactory.CreateDbContextAsync();
        var request = await OpenRequestAsync(db, requestId);
        var now = clock.GetUtcNow();
        db.AuditEntries.Add(Audit(request.AccountId, actor, "plan.help.answered", request.Answer, text, now));
        request.Answer = text;
        request.AnsweredAt = now;
        request.AnsweredBy = actor.ToString();
        await db.SaveChangesAsync();
    }

    public async Task CloseAsync(long requestId, Actor actor)
    {
        await using var db = await dbFactory.CreateDbContextAsync();
        var request = await OpenRequestAsync(db, requestId);
        var now = clock.GetUtcNow();
        db.AuditEntries.Add(Audit(request.AccountId, actor, "plan.help.closed", "open", "closed", now));
        request.ClosedAt = now;
        request.ClosedBy = actor.ToString();
        await db.SaveChangesAsync();
    }

    private static async Task<PlanHelpRequest> OpenRequestAsync(CreditPortalDbContext db, long requestId)
    {
        var request = await db.Set<PlanHelpRequest>().FirstOrDefaultAsync(r => r.Id == requestId)
            ?? throw new LedgerNotFoundException($"Plan help request {requestId}");
        if (request.ClosedAt is not null) throw new LedgerRuleException("request_closed", "This request is closed already.");
        return request;
    }

    private static async Task<List<PlanHelpView>> ViewsAsync(CreditPortalDbContext db, IQueryable<PlanHelpRequest> requests)
    {
        var rows = await (from r in requests join a in db.Accounts on r.AccountId equals a.Id select new { r, a.Name }).AsNoTracking().ToListAsync();
        return rows.Select(x => new PlanHelpView(x.r.Id, x.r.AccountId, x.Name, x.r.MonthlyVolume, x.r.Message, x.r.RequestedAt, x.r.RequestedBy,
            x.r.Answer, x.r.AnsweredAt, x.r.AnsweredBy, x.r.ClosedAt)).ToList();
    }

    private static AuditEntry Audit(long accountId, Actor actor, string action, string? before, string? after, DateTimeOffset at)
        => new() { AccountId = accountId, At = at, Actor = actor.ToString(), Action = action, Before = before, After = after };
}
