using CreditPortal.Ledger;
using CreditPortal.Ledger.Commands;
using CreditPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace CreditPortal.Tests.Ledger;

public sealed class ValidationAndSettingsTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 10, 9, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(0)]
    [InlineData(-5)]
    [InlineData(1_000_000_001)]
    public async Task ConsumptionQuantityOutOfRange_IsRefusedNamingTheField_AndRecordsNothing(long quantity)
    {
        await using var h = LedgerHarness.Start(Start);
        var id = await h.CreateAccountAsync();
        var list = await h.Ledger.CreateListAsync(id, "News", LedgerHarness.Owner);
        var error = await Assert.ThrowsAsync<LedgerValidationException>(() => h.SendAsync(id, list, quantity));
        Assert.Equal("quantity", error.Field);
        await using var db = h.Db();
        Assert.False(await db.Consumptions.AnyAsync());
    }

    [Fact]
    public async Task Sms_NeedsASupportedCountry_AndChargesItsRate()
    {
        await using var h = LedgerHarness.Start(Start);
        var id = await h.CreateAccountAsync();
        await h.GrantAsync(id, 100, null, Channel.Sms);
        var list = await h.Ledger.CreateListAsync(id, "News", LedgerHarness.Owner);

        Assert.Equal("country", (await Assert.ThrowsAsync<LedgerValidationException>(() => h.SendAsync(id, list, 1, Channel.Sms))).Field);
        var unsupported = await Assert.ThrowsAsync<LedgerValidationException>(() => h.SendAsync(id, list, 1, Channel.Sms, "JP"));
        Assert.Equal("unsupported_country", unsupported.Code);

        await h.SendAsync(id, list, 10, Channel.Sms, "br");
        Assert.Equal(70, (await h.WalletAsync(id, Channel.Sms)).Total);
        var consumption = (await h.Queries.GetConsumptionsAsync(id, new ConsumptionFilter(), null)).Items.Single();
        Assert.Equal((10L, 30L, "BR"), (consumption.Quantity, consumption.Credits, consumption.Country));
    }

    [Fact]
    public async Task UnknownListOrAccount_IsNotFound()
    {
        await using var h = LedgerHarness.Start(Start);
        var a = await h.CreateAccountAsync("A");
        var b = await h.CreateAccountAsync("B");
        var listOfB = await h.Ledger.CreateListAsync(b, "News", LedgerHarness.Owner);
        await Assert.ThrowsAsync<LedgerNotFoundException>(() => h.SendAsync(a, listOfB, 1));
        await Assert.ThrowsAsync<LedgerNotFoundException>(() => h.SendAsync(999, listOfB, 1));
        await Assert.ThrowsAsync<LedgerNotFoundException>(() =>
            h.Ledger.SetAllocationAsync(a, listOfB, Channel.Email, AllocationMode.Shared, null, LedgerHarness.Owner));
    }

    [Fact]
    public async Task AccountInput_IsValidatedBeforeAnythingIsCreated()
    {
        await using var h = LedgerHarness.Start(Start);
        Assert.Equal("timeZone", (await Assert.ThrowsAsync<LedgerValidationException>(() =>
            h.Ledger.CreateAccountAsync(new NewAccount("X", "Mars/Base"), LedgerHarness.SupportAgent))).Field);
        Assert.Equal("productTypes", (await Assert.ThrowsAsync<LedgerValidationException>(() =>
            h.Ledger.CreateAccountAsync(new NewAccount("X", null, ["Spaceship"]), LedgerHarness.SupportAgent))).Field);
        Assert.Equal("billingContacts", (await Assert.ThrowsAsync<LedgerValidationException>(() =>
            h.Ledger.CreateAccountAsync(new NewAccount("X", null, null, ["not-an-email"]), LedgerHarness.SupportAgent))).Field);
        Assert.Equal("name", (await Assert.ThrowsAsync<LedgerValidationException>(() =>
            h.Ledger.CreateAccountAsync(new NewAccount("   "), LedgerHarness.SupportAgent))).Field);
        await using var db = h.Db();
        Assert.False(await db.Accounts.AnyAsync());
    }

    [Fact]
    public async Task DuplicateListNames_AreRefused_CaseInsensitively()
    {
        await using var h = LedgerHarness.Start(Start);
        var id = await h.CreateAccountAsync();
        var news = await h.Ledger.CreateListAsync(id, "News", LedgerHarness.Owner);
        var other = await h.Ledger.CreateListAsync(id, "Other", LedgerHarness.Owner);
        Assert.Equal("duplicate_list_name", (await Assert.ThrowsAsync<LedgerRuleException>(() => h.Ledger.CreateListAsync(id, "news", LedgerHarness.Owner))).Code);
        await Assert.ThrowsAsync<LedgerRuleException>(() => h.Ledger.RenameListAsync(id, other, "NEWS", LedgerHarness.Owner));
        await h.Ledger.RenameListAsync(id, news, "Weekly news", LedgerHarness.Owner);
        Assert.Contains(await h.Queries.GetListsAsync(id), l => l.Name == "Weekly news");
    }

    [Fact]
    public async Task Settings_AreSavedAndAudited_WithBeforeAndAfter()
    {
        await using var h = LedgerHarness.Start(Start);
        var id = await h.CreateAccountAsync();
        await h.Ledger.UpdateSettingsAsync(id, new SettingsChange(true, new Dictionary<Channel, bool> { [Channel.Sms] = true },
            ["a@acme.test", "B@acme.test"], "America/New_York"), LedgerHarness.Owner);

        var account = (await h.Queries.GetAccountAsync(id))!;
        Assert.True(account.HoldWhenOutOfCredits);
        Assert.Equal(["a@acme.test", "B@acme.test"], account.BillingContacts);
        Assert.Equal("America/New_York", account.TimeZoneId);
        Assert.True((await h.WalletAsync(id, Channel.Sms)).AutoRenew);
        var audit = (await h.Queries.GetAuditAsync(id)).Items;
        Assert.Contains(audit, a => a.Action == "settings.timeZone" && a.Before == "Europe/Rome" && a.After == "America/New_York");
        Assert.Contains(audit, a => a.Action == "settings.hold" && a.Before == "off" && a.After == "on");
        Assert.Contains(audit, a => a.Action == "settings.autoRenew.Sms");
    }

    [Fact]
    public async Task ChangingTheTimeZone_MovesTheMonthStart()
    {
        await using var h = LedgerHarness.Start(new DateTimeOffset(2026, 11, 20, 12, 0, 0, TimeSpan.Zero));
        var id = await h.CreateAccountAsync("Acme", "Europe/Rome", "Domain");
        await h.Ledger.UpdateSettingsAsync(id, new SettingsChange(TimeZone: "America/New_York"), LedgerHarness.Owner);

        // Rome's December starts at 23:00 UTC on 30 Nov; New York's at 05:00 UTC on 1 Dec.
        await h.AdvanceToAsync(new DateTimeOffset(2026, 12, 1, 4, 59, 0, TimeSpan.Zero));
        await using var db = h.Db();
        Assert.Equal(1, await db.LedgerEntries.CountAsync(e => e.AccountId == id && e.Kind == LedgerEntryKind.TopUp));
        await h.AdvanceToAsync(new DateTimeOffset(2026, 12, 1, 5, 0, 0, TimeSpan.Zero));
        Assert.Equal(2, await db.LedgerEntries.CountAsync(e => e.AccountId == id && e.Kind == LedgerEntryKind.TopUp));
        await h.AssertLedgerConsistentAsync();
    }

    [Fact]
    public async Task Adjustments_NeedAReason_AndAFutureExpiry()
    {
        await using var h = LedgerHarness.Start(Start);
        var id = await h.CreateAccountAsync();
        Assert.Equal("reason", (await Assert.ThrowsAsync<LedgerValidationException>(() =>
            h.Ledger.GrantAdjustmentAsync(id, Channel.Email, 10, null, " ", LedgerHarness.SupportAgent))).Field);
        Assert.Equal("expiresAt", (await Assert.ThrowsAsync<LedgerValidationException>(() =>
            h.Ledger.GrantAdjustmentAsync(id, Channel.Email, 10, Start, "goodwill", LedgerHarness.SupportAgent))).Field);
        var lot = await h.Ledger.GrantAdjustmentAsync(id, Channel.Email, 10, Start.AddDays(1), "goodwill", LedgerHarness.SupportAgent);
        var entry = (await h.Queries.GetLedgerAsync(id, new LedgerFilter(Channel.Email))).Items.Single(e => e.LotId == lot);
        Assert.Equal((LedgerEntryKind.Adjustment, 10L, "support:agent@example.test", "goodwill"), (entry.Kind, entry.Quantity, entry.Actor, entry.Reason));
        Assert.Contains((await h.Queries.GetAuditAsync(id)).Items, a => a.Action == "adjustment.Email" && a.Reason == "goodwill");
    }

    [Fact]
    public async Task ReadsOfAnUnknownAccount_AreEmpty_NotAnError()
    {
        await using var h = LedgerHarness.Start(Start);
        Assert.Empty((await h.Queries.GetConsumptionsAsync(404, new ConsumptionFilter(), null)).Items);
        Assert.Empty((await h.Queries.GetLedgerAsync(404, new LedgerFilter())).Items);
        Assert.Empty((await h.Queries.GetAlertsAsync(404)).Items);
        Assert.Empty((await h.Queries.GetAuditAsync(404)).Items);
        Assert.Null(await h.Queries.GetWalletAsync(404, Channel.Email));
    }
}
