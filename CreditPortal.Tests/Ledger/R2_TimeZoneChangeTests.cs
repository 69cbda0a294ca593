using CreditPortal.Ledger;
using CreditPortal.Ledger.Commands;
using CreditPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace CreditPortal.Tests.Ledger;

/// <summary>
/// R2 after a time-zone change: moving the account's zone east or west neither loses nor doubles a month's free credits,
/// across a month start and on a daylight-saving day. Q = 2,500 (Ticketing).
/// </summary>
public sealed class R2_TimeZoneChangeTests
{
    private const long Q = 2_500;

    // Los Angeles is UTC−8 in late November, Auckland UTC+13 (summer time): 21 hours apart.
    private static readonly DateTimeOffset LosAngelesDecemberStart = new(2026, 12, 1, 8, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset AucklandDecemberStart = new(2026, 11, 30, 11, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset AucklandJanuaryStart = new(2026, 12, 31, 11, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset LosAngelesJanuaryStart = new(2027, 1, 1, 8, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Moving_east_into_the_next_month_gives_that_month_its_full_quota_and_the_old_month_ends_there()
    {
        await using var h = LedgerHarness.Start(new DateTimeOffset(2026, 11, 20, 12, 0, 0, TimeSpan.Zero));
        var id = await h.CreateAccountAsync("Westcoast", "America/Los_Angeles", "Ticketing");
        var list = await h.Ledger.CreateListAsync(id, "News", LedgerHarness.Owner);
        await h.SendAsync(id, list, 1_000); // November: 1,500 left

        // 30 Nov 14:00 UTC: still 30 Nov (06:00) in Los Angeles, already 1 Dec (03:00) in Auckland.
        await h.AdvanceToAsync(new DateTimeOffset(2026, 11, 30, 14, 0, 0, TimeSpan.Zero));
        await h.Ledger.UpdateSettingsAsync(id, new SettingsChange(TimeZone: "Pacific/Auckland"), LedgerHarness.Owner);

        // November ended at Auckland's month start (already past): its 1,500 expired, December got its full quota.
        var wallet = await h.WalletAsync(id);
        Assert.Equal(Q, wallet.Total);
        var free = Assert.Single(wallet.Lots);
        Assert.Equal((LotKind.MonthlyFree, Q, (DateTimeOffset?)AucklandJanuaryStart), (free.Kind, free.Quantity, free.ExpiresAt));

        // Los Angeles's month start no longer means anything: nothing expires, nothing is granted, all December long.
        await h.AdvanceToAsync(LosAngelesDecemberStart.AddHours(1));
        Assert.Equal(Q, (await h.WalletAsync(id)).Total);
        await h.AdvanceToAsync(AucklandJanuaryStart.AddMinutes(-1));
        Assert.Equal(Q, (await h.WalletAsync(id)).Total);
        await h.AdvanceToAsync(AucklandJanuaryStart);
        Assert.Equal(Q, (await h.WalletAsync(id)).Total);

        Assert.Equal(["2026-11", "2026-12", "2027-01"], await TopUpMonthsAsync(h, id));
        Assert.Equal([Q, Q, Q], await TopUpsAsync(h, id));
        await h.AssertLedgerConsistentAsync();
    }

    [Fact]
    public async Task Moving_west_back_into_the_previous_month_keeps_the_month_s_credits_until_the_new_zone_s_month_end()
    {
        await using var h = LedgerHarness.Start(new DateTimeOffset(2026, 11, 20, 12, 0, 0, TimeSpan.Zero));
        var id = await h.CreateAccountAsync("Kiwi", "Pacific/Auckland", "Ticketing");
        var list = await h.Ledger.CreateListAsync(id, "News", LedgerHarness.Owner);

        await h.AdvanceToAsync(AucklandDecemberStart.AddHours(1)); // 1 Dec 01:00 in Auckland: December's top-up ran
        await h.SendAsync(id, list, 500);
        Assert.Equal(2_000, (await h.WalletAsync(id)).Total);
        // Back to 30 Nov 03:00: November, whose top-up ran long ago.
        await h.Ledger.UpdateSettingsAsync(id, new SettingsChange(TimeZone: "America/Los_Angeles"), LedgerHarness.Owner);

        var wallet = await h.WalletAsync(id);
        Assert.Equal(2_000, wallet.Total); // no second November top-up
        Assert.Equal(LosAngelesJanuaryStart, Assert.Single(wallet.Lots).ExpiresAt); // December's credits last until December ends there

        await h.AdvanceToAsync(LosAngelesDecemberStart); // December starts again in Los Angeles: it had its credits already
        Assert.Equal(2_000, (await h.WalletAsync(id)).Total);
        await h.AdvanceToAsync(AucklandJanuaryStart.AddHours(1)); // still December in Los Angeles: not lost at Auckland's January
        Assert.Equal(2_000, (await h.WalletAsync(id)).Total);
        await h.AdvanceToAsync(LosAngelesJanuaryStart);
        Assert.Equal(Q, (await h.WalletAsync(id)).Total);

        Assert.Equal(["2026-11", "2026-12", "2027-01"], await TopUpMonthsAsync(h, id));
        Assert.Equal([Q, Q, Q], await TopUpsAsync(h, id));
        await h.AssertLedgerConsistentAsync();
    }

    [Fact]
    public async Task Moving_east_west_and_east_again_around_midnight_of_the_1st_grants_the_month_once()
    {
        await using var h = LedgerHarness.Start(new DateTimeOffset(2026, 11, 20, 12, 0, 0, TimeSpan.Zero));
        var id = await h.CreateAccountAsync("Undecided", "America/Los_Angeles", "Ticketing");
        var list = await h.Ledger.CreateListAsync(id, "News", LedgerHarness.Owner);

        await h.AdvanceToAsync(AucklandDecemberStart.AddMinutes(30));
        await h.Ledger.UpdateSettingsAsync(id, new SettingsChange(TimeZone: "Pacific/Auckland"), LedgerHarness.Owner);
        await h.SendAsync(id, list, 700);
        await h.Ledger.UpdateSettingsAsync(id, new SettingsChange(TimeZone: "America/Los_Angeles"), LedgerHarness.Owner);
        await h.AdvanceAsync(TimeSpan.FromHours(1));
        await h.Ledger.UpdateSettingsAsync(id, new SettingsChange(TimeZone: "Pacific/Auckland"), LedgerHarness.Owner);
        Assert.Equal(Q - 700, (await h.WalletAsync(id)).Total);

        await h.AdvanceToAsync(LosAngelesDecemberStart.AddDays(10));
        Assert.Equal(Q - 700, (await h.WalletAsync(id)).Total);
        Assert.Equal(["2026-11", "2026-12"], await TopUpMonthsAsync(h, id));
        await h.AssertLedgerConsistentAsync();
    }

    [Fact]
    public async Task Moving_east_on_a_daylight_saving_day_across_the_month_start()
    {
        // Sunday 1 Nov 2026: clocks go back in both zones. 05:00 UTC is 1 Nov 01:00 EDT in New York, 31 Oct 22:00 PDT in
        // Los Angeles; New York's November started at 04:00 UTC, Los Angeles's starts at 07:00 UTC.
        await using var h = LedgerHarness.Start(new DateTimeOffset(2026, 10, 20, 12, 0, 0, TimeSpan.Zero));
        var id = await h.CreateAccountAsync("Daylight", "America/Los_Angeles", "Ticketing");
        var list = await h.Ledger.CreateListAsync(id, "News", LedgerHarness.Owner);
        await h.SendAsync(id, list, 2_000);

        await h.AdvanceToAsync(new DateTimeOffset(2026, 11, 1, 5, 0, 0, TimeSpan.Zero));
        await h.Ledger.UpdateSettingsAsync(id, new SettingsChange(TimeZone: "America/New_York"), LedgerHarness.Owner);
        var wallet = await h.WalletAsync(id);
        Assert.Equal(Q, wallet.Total);
        Assert.Equal(new DateTimeOffset(2026, 12, 1, 5, 0, 0, TimeSpan.Zero), Assert.Single(wallet.Lots).ExpiresAt); // 00:00 EST

        await h.AdvanceToAsync(new DateTimeOffset(2026, 11, 1, 8, 0, 0, TimeSpan.Zero)); // past Los Angeles's month start
        Assert.Equal(Q, (await h.WalletAsync(id)).Total);
        await h.AdvanceToAsync(new DateTimeOffset(2026, 12, 1, 5, 0, 0, TimeSpan.Zero));
        Assert.Equal(["2026-10", "2026-11", "2026-12"], await TopUpMonthsAsync(h, id));
        Assert.Equal([Q, Q, Q], await TopUpsAsync(h, id));
        await h.AssertLedgerConsistentAsync();
    }

    [Fact]
    public async Task Moving_west_on_a_daylight_saving_day_across_the_month_start()
    {
        await using var h = LedgerHarness.Start(new DateTimeOffset(2026, 10, 20, 12, 0, 0, TimeSpan.Zero));
        var id = await h.CreateAccountAsync("Daylight west", "America/New_York", "Ticketing");
        var list = await h.Ledger.CreateListAsync(id, "News", LedgerHarness.Owner);

        await h.AdvanceToAsync(new DateTimeOffset(2026, 11, 1, 5, 0, 0, TimeSpan.Zero)); // New York's November top-up ran at 04:00 UTC
        await h.SendAsync(id, list, 100);
        await h.Ledger.UpdateSettingsAsync(id, new SettingsChange(TimeZone: "America/Los_Angeles"), LedgerHarness.Owner);
        var wallet = await h.WalletAsync(id);
        Assert.Equal(Q - 100, wallet.Total);
        Assert.Equal(new DateTimeOffset(2026, 12, 1, 8, 0, 0, TimeSpan.Zero), Assert.Single(wallet.Lots).ExpiresAt); // 00:00 PST

        await h.AdvanceToAsync(new DateTimeOffset(2026, 11, 1, 7, 0, 0, TimeSpan.Zero)); // Los Angeles's November starts: already granted
        Assert.Equal(Q - 100, (await h.WalletAsync(id)).Total);
        await h.AdvanceToAsync(new DateTimeOffset(2026, 12, 1, 8, 0, 0, TimeSpan.Zero));
        Assert.Equal(Q, (await h.WalletAsync(id)).Total);
        Assert.Equal(["2026-10", "2026-11", "2026-12"], await TopUpMonthsAsync(h, id));
        await h.AssertLedgerConsistentAsync();
    }

    private static async Task<List<string>> TopUpMonthsAsync(LedgerHarness h, long id)
    {
        await using var db = h.Db();
        var keys = await db.ScheduledEvents.Where(e => e.Key.StartsWith($"topup:{id}:")).Select(e => e.Key).ToListAsync();
        return keys.Select(k => k[(k.LastIndexOf(':') + 1)..]).Order().ToList();
    }

    /// <summary>The quantity of each free lot granted, in order.</summary>
    private static async Task<List<long>> TopUpsAsync(LedgerHarness h, long id)
    {
        await using var db = h.Db();
        return await db.LedgerEntries.Where(e => e.AccountId == id && e.Kind == LedgerEntryKind.TopUp).OrderBy(e => e.Id).Select(e => e.Quantity).ToListAsync();
    }
}
