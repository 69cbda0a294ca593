using CreditPortal.Ledger;
using CreditPortal.Ledger.Commands;
using CreditPortal.Orders;
using CreditPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace CreditPortal.Tests.Ledger;

/// <summary>R10: the owner chooses which pack auto-renew buys, per wallet; by default the last pack bought.</summary>
public sealed class R10_AutoRenewPackTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 10, 9, 0, 0, TimeSpan.Zero);

    private static async Task<(long Account, long List)> Bought10000WithAutoRenew(LedgerHarness h, string? pack)
    {
        var id = await h.CreateAccountAsync();
        var list = await h.Ledger.CreateListAsync(id, "News", LedgerHarness.Owner);
        await h.BuyAsync(id, "email-10000");
        await h.Ledger.UpdateSettingsAsync(id, new SettingsChange(AutoRenew: new Dictionary<Channel, bool> { [Channel.Email] = true },
            AutoRenewPacks: pack is null ? null : new Dictionary<Channel, string?> { [Channel.Email] = pack }), LedgerHarness.Owner);
        return (id, list);
    }

    [Fact]
    public async Task Auto_renew_buys_the_chosen_pack()
    {
        await using var h = LedgerHarness.Start(Start);
        var (id, list) = await Bought10000WithAutoRenew(h, "email-50000");
        Assert.Equal("email-50000", (await h.WalletAsync(id)).AutoRenewPackId);

        await h.SendAsync(id, list, 9_000); // 10% of the last purchase
        await h.Scheduler.RunDueAsync();

        var wallet = await h.WalletAsync(id);
        Assert.Equal(51_000, wallet.Total);
        await using var db = h.Db();
        var renewal = await db.Orders.SingleAsync(o => o.AccountId == id && o.Kind == OrderKind.AutoRenew);
        Assert.Equal(("email-50000", 50_000L, 75.00m, OrderStatus.Paid), (renewal.PackId, renewal.Credits, renewal.Price, renewal.Status));
        Assert.Contains((await h.Queries.GetAuditAsync(id)).Items,
            a => a.Action == "settings.autoRenewPack.Email" && a.Before == "the last pack bought" && a.After == "email-50000");
        await h.AssertLedgerConsistentAsync();
    }

    [Fact]
    public async Task Without_a_choice_auto_renew_buys_the_last_pack_bought_and_null_goes_back_to_it()
    {
        await using var h = LedgerHarness.Start(Start);
        var (id, list) = await Bought10000WithAutoRenew(h, "email-5000");
        await h.Ledger.UpdateSettingsAsync(id, new SettingsChange(AutoRenewPacks: new Dictionary<Channel, string?> { [Channel.Email] = null }),
            LedgerHarness.Owner);
        Assert.Null((await h.WalletAsync(id)).AutoRenewPackId);

        await h.SendAsync(id, list, 9_000);
        await h.Scheduler.RunDueAsync();

        Assert.Equal(11_000, (await h.WalletAsync(id)).Total);
        await using var db = h.Db();
        Assert.Equal("email-10000", (await db.Orders.SingleAsync(o => o.AccountId == id && o.Kind == OrderKind.AutoRenew)).PackId);
        await h.AssertLedgerConsistentAsync();
    }

    [Theory]
    [InlineData("sms-1000")]     // another channel's pack
    [InlineData("email-7")]      // not in the catalogue
    public async Task A_pack_that_is_not_one_of_the_wallet_s_channel_is_refused_at_the_field_and_nothing_changes(string pack)
    {
        await using var h = LedgerHarness.Start(Start);
        var id = await h.CreateAccountAsync();
        var e = await Assert.ThrowsAsync<LedgerValidationException>(() => h.Ledger.UpdateSettingsAsync(id,
            new SettingsChange(HoldWhenOutOfCredits: true, AutoRenewPacks: new Dictionary<Channel, string?> { [Channel.Email] = pack }),
            LedgerHarness.Owner));
        Assert.Equal("autoRenewPack.Email", e.Field);
        Assert.False((await h.Queries.GetAccountAsync(id))!.HoldWhenOutOfCredits); // all or nothing
        Assert.Null((await h.WalletAsync(id)).AutoRenewPackId);
    }
}
