using CreditPortal.Ledger.Commands;
using CreditPortal.Ledger.Engine;
using CreditPortal.Ledger.Rules;

namespace CreditPortal.Ledger;

/// <summary>
/// The service layer every page and API endpoint calls to change credits. Each method is one command on
/// the single ledger writer; it returns once the change is committed (or throws, and nothing changed).
/// </summary>
public sealed class CreditLedger(LedgerWriter writer)
{
    public Task<long> CreateAccountAsync(NewAccount account, Actor actor)
        => writer.RunAsync(s => CreateAccount.Execute(s, account, actor));

    public Task UpdateSettingsAsync(long accountId, SettingsChange change, Actor actor)
        => writer.RunAsync(s => UpdateSettings.Execute(s, accountId, change, actor));

    public Task SetProductTypesAsync(long accountId, IReadOnlyList<string> productTypes, Actor actor, string? reason)
        => writer.RunAsync(s => SetProductTypes.Execute(s, accountId, productTypes, actor, reason));

    public Task<long> CreateListAsync(long accountId, string name, Actor actor)
        => writer.RunAsync(s => ManageLists.Create(s, accountId, name, actor));

    public Task RenameListAsync(long accountId, long listId, string name, Actor actor)
        => writer.RunAsync(s => ManageLists.Rename(s, accountId, listId, name, actor));

    /// <summary>R4. <paramref name="reason"/> is required when support acts.</summary>
    public Task SetAllocationAsync(long accountId, long listId, Channel channel, AllocationMode mode, long? assigned, Actor actor, string? reason = null)
        => writer.RunAsync(s => SetAllocation.Execute(s, accountId, listId, channel, mode, assigned, actor, reason));

    /// <summary>R6. <paramref name="reason"/> is required when support acts.</summary>
    public Task SetCapAsync(long accountId, long listId, Channel channel, bool enabled, long? perMonth, Actor actor, string? reason = null)
        => writer.RunAsync(s => SetCap.Execute(s, accountId, listId, channel, enabled, perMonth, actor, reason));

    public Task<ConsumptionResult> ConsumeAsync(long accountId, ConsumptionRequest request, Actor actor, SendingKey? key = null)
        => writer.RunAsync(s => Consume.Execute(s, accountId, request, actor, key));

    /// <summary>R9: cancels a queued send (<c>not_queued</c> for any other state).</summary>
    public Task CancelQueuedAsync(long accountId, long consumptionId, Actor actor)
        => writer.RunAsync(s => CancelQueuedConsumption.Execute(s, accountId, consumptionId, actor));

    /// <summary>The dry run: what <see cref="ConsumeAsync"/> would do with this send now; changes and records nothing.</summary>
    public Task<ConsumptionPreview> PreviewConsumptionAsync(long accountId, SendCheck send, SendingKey? key = null)
        => writer.RunAsync(s => PreviewConsumption.Execute(s, accountId, send, key));

    /// <summary>Issue #17: reserves credits for a later send (422 with the reason when they cannot be covered now).</summary>
    public Task<HoldResult> PlaceHoldAsync(long accountId, HoldRequest request, Actor actor, SendingKey? key = null)
        => writer.RunAsync(s => Holds.Place(s, accountId, request, actor, key));

    /// <summary>Issue #17: spends up to the held messages as one consumption and releases the rest.</summary>
    public Task<HoldResult> CaptureHoldAsync(long accountId, long holdId, long quantity, Actor actor)
        => writer.RunAsync(s => Holds.Capture(s, accountId, holdId, quantity, actor));

    /// <summary>Issue #17: releases everything the hold holds.</summary>
    public Task<HoldResult> VoidHoldAsync(long accountId, long holdId, Actor actor)
        => writer.RunAsync(s => Holds.Void(s, accountId, holdId, actor));

    public Task<long> GrantAdjustmentAsync(long accountId, Channel channel, long quantity, DateTimeOffset? expiresAt, string reason, Actor actor,
        string? idempotencyKey = null)
        => writer.RunAsync(s => GrantAdjustment.Execute(s, accountId, channel, quantity, expiresAt, reason, actor, idempotencyKey));

    /// <summary>R11 with the caller's idempotency key: the same key gives the same lot (<c>Replayed</c>), granted once.</summary>
    public Task<(long LotId, bool Replayed)> GrantAdjustmentOnceAsync(long accountId, Channel channel, long quantity, DateTimeOffset? expiresAt,
        string reason, Actor actor, string? idempotencyKey)
        => writer.RunAsync(s => GrantAdjustment.ExecuteOnce(s, accountId, channel, quantity, expiresAt, reason, actor, idempotencyKey));

    /// <summary>R7: a plan change that costs nothing (Free, Packs, a count from the next cycle, a return within a paid cycle);
    /// one that costs money is refused here (<c>payment_required</c>) and goes through <see cref="Orders.OrderService.ChangePlanAsync"/>.</summary>
    public Task ChangePlanAsync(long accountId, Channel channel, Plan plan, long? subscriberCount, long? monthlyCredits, Actor actor)
        => writer.RunAsync(s => ChangePlan.Execute(s, accountId, channel, plan, subscriberCount, monthlyCredits, actor));

    /// <summary>Records an audit entry for a change made outside the ledger (API keys, logins), in the same
    /// append-only trail; throws <see cref="LedgerNotFoundException"/> for an unknown account.</summary>
    public Task RecordAuditAsync(long accountId, Actor actor, string action, string? before, string? after, string? reason)
        => writer.RunAsync(s => s.Audit.Record(s.Open(accountId), actor, action, before, after, reason));

    public Task<ChargeNowQuote> QuoteChargeNowAsync(long accountId, Channel channel)
        => writer.RunAsync(s => QuoteChargeNow.Execute(s, accountId, channel));
}
