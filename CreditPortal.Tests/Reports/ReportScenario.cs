using CreditPortal.Ledger;
using CreditPortal.Ledger.Commands;
using CreditPortal.Tests.Infrastructure;

namespace CreditPortal.Tests.Reports;

/// <summary>
/// A month of an account in Europe/Rome built through the real ledger: purchases, a free monthly lot, a support
/// adjustment that expires and is split over two lists' assignments (R5), sends on three lists and both channels
/// (SMS to IT, US and BR at 1, 2 and 3 credits), refusals for a cap and for missing credits, sends held in the queue
/// and released a day later, one still queued at the end, sends either side of the spring daylight-saving change,
/// and the month-end expiry and top-up. Report tests compare what the reports say with the ledger itself.
/// </summary>
public sealed class ReportScenario
{
    public static readonly DateTimeOffset Start = new(2026, 3, 2, 8, 0, 0, TimeSpan.Zero); // Monday 09:00 in Rome
    public static readonly DateOnly From = new(2026, 3, 1);
    public static readonly DateOnly To = new(2026, 4, 30);

    /// <summary>A list name that a spreadsheet would evaluate if it were written as a formula.</summary>
    public const string FormulaLikeName = "=cmd()";

    public required long AccountId { get; init; }
    public required long Newsletter { get; init; }
    public required long Transactional { get; init; }
    public required long FormulaList { get; init; }

    public static async Task<ReportScenario> BuildAsync(LedgerHarness h)
    {
        var owner = LedgerHarness.Owner;
        var account = await h.CreateAccountAsync("Acme & Co. Newsletters", "Europe/Rome", "Ticketing");
        var newsletter = await h.Ledger.CreateListAsync(account, "Newsletter", owner);
        var transactional = await h.Ledger.CreateListAsync(account, "Transactional", owner);
        var formula = await h.Ledger.CreateListAsync(account, FormulaLikeName, owner);

        await h.BuyAsync(account, "email-5000");
        await h.BuyAsync(account, "sms-1000");
        await h.Ledger.SetAllocationAsync(account, transactional, Channel.Email, AllocationMode.Assigned, 1_000, owner);
        await h.Ledger.SetCapAsync(account, formula, Channel.Email, true, 500, owner);
        await h.GrantAsync(account, 300, expiresAt: new DateTimeOffset(2026, 3, 10, 8, 0, 0, TimeSpan.Zero));

        Accepted(await Send(h, account, newsletter, 3_000, reference: "March newsletter"));
        Accepted(await Send(h, account, transactional, 300, reference: "Order confirmations"));
        Accepted(await Send(h, account, transactional, 40, Channel.Sms, "IT", "Delivery notices"));
        Accepted(await Send(h, account, transactional, 10, Channel.Sms, "US", "Delivery notices US"));
        Accepted(await Send(h, account, formula, 400, reference: "=HYPERLINK(\"http://evil.test\")"));
        Rejected(await Send(h, account, formula, 200, reference: "over the cap"), ConsumptionReasons.MonthlyCap);
        Rejected(await Send(h, account, newsletter, 100_000, reference: "far too big"), ConsumptionReasons.InsufficientCredits);

        await h.AdvanceToAsync(new DateTimeOffset(2026, 3, 3, 21, 30, 0, TimeSpan.Zero)); // 22:30 in Rome
        Accepted(await Send(h, account, newsletter, 50));
        Accepted(await Send(h, account, transactional, 5, Channel.Sms, "BR"));

        // Assign nearly everything, so the adjustment's expiry takes from the lists' assignments too (R5).
        await h.AdvanceToAsync(new DateTimeOffset(2026, 3, 9, 9, 0, 0, TimeSpan.Zero));
        var wallet = await h.WalletAsync(account);
        await h.Ledger.SetAllocationAsync(account, newsletter, Channel.Email, AllocationMode.Assigned, wallet.Unassigned - 150, owner);
        await h.AdvanceToAsync(new DateTimeOffset(2026, 3, 10, 9, 0, 0, TimeSpan.Zero));
        Accepted(await Send(h, account, newsletter, 100));

        // Either side of local midnight, the night before and the night after the clocks go forward (29 March).
        foreach (var (utc, quantity) in new[]
                 {
                     (new DateTimeOffset(2026, 3, 28, 22, 30, 0, TimeSpan.Zero), 10L), // 28 Mar 23:30 +01:00
                     (new DateTimeOffset(2026, 3, 28, 23, 30, 0, TimeSpan.Zero), 20L), // 29 Mar 00:30 +01:00
                     (new DateTimeOffset(2026, 3, 29, 21, 30, 0, TimeSpan.Zero), 30L), // 29 Mar 23:30 +02:00
                     (new DateTimeOffset(2026, 3, 29, 22, 30, 0, TimeSpan.Zero), 40L), // 30 Mar 00:30 +02:00
                 })
        {
            await h.AdvanceToAsync(utc);
            Accepted(await Send(h, account, newsletter, quantity));
        }

        // Hold when out of credits (R9): queued on the 30th, released by a purchase on the 31st; one stays queued.
        await h.AdvanceToAsync(new DateTimeOffset(2026, 3, 30, 8, 0, 0, TimeSpan.Zero));
        await h.Ledger.UpdateSettingsAsync(account, new SettingsChange(HoldWhenOutOfCredits: true), owner);
        Queued(await Send(h, account, transactional, 1_500, Channel.Sms, "IT", "held, then sent"));
        await h.AdvanceToAsync(new DateTimeOffset(2026, 3, 31, 9, 0, 0, TimeSpan.Zero));
        await h.BuyAsync(account, "sms-1000");
        await h.AdvanceToAsync(new DateTimeOffset(2026, 3, 31, 10, 0, 0, TimeSpan.Zero));
        Queued(await Send(h, account, transactional, 1_000, Channel.Sms, "IT", "still waiting"));

        // The free lot expires at the local month start and April's top-up arrives (R2, R5).
        await h.AdvanceToAsync(new DateTimeOffset(2026, 4, 1, 8, 0, 0, TimeSpan.Zero));
        Accepted(await Send(h, account, newsletter, 10, reference: "April"));

        await h.AssertLedgerConsistentAsync();
        return new ReportScenario { AccountId = account, Newsletter = newsletter, Transactional = transactional, FormulaList = formula };
    }

    private static Task<ConsumptionResult> Send(LedgerHarness h, long account, long list, long quantity, Channel channel = Channel.Email,
        string? country = null, string? reference = null)
        => h.Ledger.ConsumeAsync(account, new ConsumptionRequest(channel, list, quantity, country, reference, Guid.NewGuid().ToString("N")),
            LedgerHarness.Owner);

    private static void Accepted(ConsumptionResult result) => Assert.Equal(ConsumptionStatus.Accepted, result.Status);

    private static void Queued(ConsumptionResult result) => Assert.Equal(ConsumptionStatus.Queued, result.Status);

    private static void Rejected(ConsumptionResult result, string reason)
    {
        Assert.Equal(ConsumptionStatus.Rejected, result.Status);
        Assert.Equal(reason, result.Reason);
    }
}
