using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using CreditPortal.Formatting;
using CreditPortal.Ledger.Engine;
using CreditPortal.Ledger.State;

namespace CreditPortal.Ledger.Commands;

/// <summary>Issue #17: a request to reserve credits for a send that happens later.</summary>
/// <param name="Quantity">Messages (recipients, or SMS); an SMS hold names its country like a send, which sets its credits.</param>
public sealed record HoldRequest(Channel Channel, long ListId, long Quantity, string? Country, string? Reference, DateTimeOffset ExpiresAt,
    string IdempotencyKey)
{
    /// <summary>What "the same body" means for idempotency: every field but the key.</summary>
    public string Hash()
    {
        var canonical = string.Join('|', "hold", Channel, ListId.ToString(CultureInfo.InvariantCulture), Quantity.ToString(CultureInfo.InvariantCulture),
            Country?.ToUpperInvariant() ?? "", Reference ?? "", ExpiresAt.UtcTicks.ToString(CultureInfo.InvariantCulture));
        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)), 0, 16);
    }
}

/// <summary>A hold as it stands, and whether this answer repeats an earlier one (the same idempotency key, or a capture retried).</summary>
public sealed record HoldResult(HoldView Hold, bool Replayed);

/// <summary>
/// Issue #17, holds for scheduled campaigns (docs/domain.md §6, "Holds"). A hold is decided by the same rules as a send
/// (<see cref="Consume.Decide"/>: API key cap, R6 cap, R7 daily limit, R4 assignment or pool, R9's queue) and draws the lots
/// in R1 order into itself; what it cannot cover now is refused (422 with the reason), never queued. A capture turns up to
/// the held messages into one Accepted consumption and releases the rest; a void, or the hold's end, releases everything.
/// </summary>
public static class Holds
{
    public static HoldResult Place(LedgerSession s, long accountId, HoldRequest r, Actor actor, SendingKey? key = null)
    {
        Validate.IdempotencyKey(r.IdempotencyKey);
        var creditsPerMessage = Consume.CheckSend(s, r.Channel, r.Quantity, r.Country, r.Reference);
        var hash = r.Hash();
        var (account, wallet, list) = Consume.Target(s, accountId, r.Channel, r.ListId);
        if (s.Records.FindHoldByKey(accountId, r.IdempotencyKey) is { } first)
        {
            if (first.RequestHash != hash) throw new IdempotencyConflictException(r.IdempotencyKey);
            return new HoldResult(HoldView.Of(first), Replayed: true);
        }

        var at = s.Now;
        var longest = TimeSpan.FromDays(s.Options.MaxHoldDays);
        if (r.ExpiresAt <= at)
            throw new LedgerValidationException("expiresAt", "expiresAt must be in the future.");
        if (r.ExpiresAt > at + longest)
            throw new LedgerValidationException("expiresAt", $"expiresAt must be at most {s.Options.MaxHoldDays} days ahead.");
        if (wallet.Row.Plan == Plan.Pro)
            throw new LedgerRuleException("unmetered_plan", $"The {r.Channel} wallet is on Pro: its sends are unmetered, so there are no credits to hold.", "channel");

        var credits = checked(r.Quantity * creditsPerMessage);
        var (status, reason) = Consume.Decide(s, account, wallet, list, r.Quantity, credits, at, key);
        if (status != ConsumptionStatus.Accepted)
        {
            var why = reason ?? ConsumptionReasons.SendsQueued;
            throw new LedgerRuleException(why, RefusalText(s, wallet, list, why, r.Quantity, credits, at), "quantity");
        }

        var row = new Hold
        {
            AccountId = accountId, WalletId = wallet.Id, ListId = r.ListId, Channel = r.Channel, Quantity = r.Quantity,
            Country = r.Country?.ToUpperInvariant(), CreditsPerMessage = creditsPerMessage, Credits = credits, Held = credits,
            FromAssignment = list.Mode == AllocationMode.Assigned, Status = HoldStatus.Active, CreatedAt = at, ExpiresAt = r.ExpiresAt,
            Reference = r.Reference, IdempotencyKey = r.IdempotencyKey, RequestHash = hash, Actor = actor.ToString(),
        };
        s.Records.AddHold(row);
        s.Postings.PlaceHold(account, wallet, list, row, actor);
        // The key's month counts what it asked to send, as for a queued send: held is committed to go (never given back).
        if (key is not null) s.Sends.CountKeySpend(account, key, credits, at);
        s.Alerts.CheckThresholds(account, wallet, at);
        s.Audit.Record(account, actor, $"hold.{wallet.Channel}", null,
            $"#{row.Id} placed: {PortalFormat.Credits(r.Quantity)} messages ({PortalFormat.Credits(credits)} credits) on list {account.ListNames[r.ListId]} " +
            $"until {row.ExpiresAt.ToString("O", CultureInfo.InvariantCulture)}", null);
        return new HoldResult(HoldView.Of(row), Replayed: false);
    }

    /// <summary>
    /// Spends <paramref name="quantity"/> of the held messages as one Accepted consumption (reports count it as spent, once)
    /// and releases the rest. A retry with the same quantity gets the same answer; a hold that is no longer active is
    /// refused with its status (<see cref="HoldEndedException"/>).
    /// </summary>
    public static HoldResult Capture(LedgerSession s, long accountId, long holdId, long quantity, Actor actor)
    {
        Validate.Quantity(quantity);
        var account = s.Open(accountId);
        if (!account.Holds.TryGetValue(holdId, out var hold))
        {
            var ended = s.Records.FindHold(accountId, holdId) ?? throw new LedgerNotFoundException($"Hold {holdId}");
            if (ended.Status == HoldStatus.Captured && ended.CapturedQuantity == quantity) return new HoldResult(HoldView.Of(ended), Replayed: true);
            throw new HoldEndedException(holdId, ended.Status, "captured");
        }
        var row = hold.Row;
        if (quantity > row.Quantity)
            throw new LedgerValidationException("quantity", $"quantity must be at most the {PortalFormat.Credits(row.Quantity)} messages the hold holds.");

        var at = s.Now;
        var wallet = account.Wallet(row.Channel);
        var list = wallet.List(row.ListId);
        var credits = quantity * row.CreditsPerMessage;
        var consumptionKey = $"hold:{holdId}:capture";
        if (s.Records.FindConsumption(accountId, consumptionKey) is not null) throw new IdempotencyConflictException(consumptionKey);
        var consumptionId = s.Records.AddConsumption(new Consumption
        {
            AccountId = accountId, WalletId = wallet.Id, ListId = row.ListId, Channel = row.Channel, Quantity = quantity, Country = row.Country,
            CreditsPerMessage = row.CreditsPerMessage, Credits = credits, Status = ConsumptionStatus.Accepted, InitialStatus = ConsumptionStatus.Accepted,
            Reference = row.Reference ?? $"hold {holdId}", IdempotencyKey = consumptionKey,
            RequestHash = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes($"capture|{holdId}|{quantity}")), 0, 16),
            RequestedAt = at, DecidedAt = at, Unmetered = false, Actor = actor.ToString(),
        });
        s.Postings.SpendHeld(account, wallet, hold, consumptionId, credits, at, actor);
        s.Sends.CountAccepted(account, wallet, list, quantity, credits, at);
        s.Postings.ReleaseHold(account, wallet, hold, at, actor, $"rest of hold {holdId} after its capture");
        s.Records.EndHold(row, HoldStatus.Captured, at, quantity, consumptionId, actor);
        AfterRelease(s, account, wallet, at);
        s.Audit.Record(account, actor, $"hold.{wallet.Channel}", $"#{holdId} active ({PortalFormat.Credits(row.Quantity)} messages)",
            $"captured {PortalFormat.Credits(quantity)} messages as consumption #{consumptionId}; the rest released", null);
        return new HoldResult(HoldView.Of(row), Replayed: false);
    }

    /// <summary>Releases everything the hold holds (the portal's Release… and the API's DELETE). Voiding a voided hold again
    /// answers the same; a captured or expired one is refused with its status.</summary>
    public static HoldResult Void(LedgerSession s, long accountId, long holdId, Actor actor)
    {
        var account = s.Open(accountId);
        if (!account.Holds.TryGetValue(holdId, out var hold))
        {
            var ended = s.Records.FindHold(accountId, holdId) ?? throw new LedgerNotFoundException($"Hold {holdId}");
            if (ended.Status == HoldStatus.Voided) return new HoldResult(HoldView.Of(ended), Replayed: true);
            throw new HoldEndedException(holdId, ended.Status, "voided");
        }
        var at = s.Now;
        var wallet = account.Wallet(hold.Row.Channel);
        var held = hold.Held;
        s.Postings.ReleaseHold(account, wallet, hold, at, actor, $"hold {holdId} voided");
        s.Records.EndHold(hold.Row, HoldStatus.Voided, at, null, null, actor);
        AfterRelease(s, account, wallet, at);
        s.Audit.Record(account, actor, $"hold.{wallet.Channel}", $"#{holdId} active ({PortalFormat.Credits(held)} credits held)", "voided: released", null);
        return new HoldResult(HoldView.Of(hold.Row), Replayed: false);
    }

    /// <summary>The hold reached its end (a due event, <see cref="DueEvents"/>): everything it holds is released, dated at its end.</summary>
    internal static void Expire(LedgerSession s, AccountState account, HoldState hold, DateTimeOffset at)
    {
        var wallet = account.Wallet(hold.Row.Channel);
        s.Postings.ReleaseHold(account, wallet, hold, at, Actor.System, $"hold {hold.Id} reached its end");
        s.Records.EndHold(hold.Row, HoldStatus.Expired, at, null, null, Actor.System);
        AfterRelease(s, account, wallet, at);
    }

    /// <summary>Released credits may let queued sends go (R9), and re-arm the low-balance thresholds (R10).</summary>
    private static void AfterRelease(LedgerSession s, AccountState account, WalletState wallet, DateTimeOffset at)
    {
        s.Alerts.CheckThresholds(account, wallet, at);
        s.Sends.ReleaseQueue(account, wallet, at);
    }

    private static string RefusalText(LedgerSession s, WalletState wallet, ListAllocationState list, string reason, long messages, long credits,
        DateTimeOffset at) => reason switch
    {
        ConsumptionReasons.InsufficientCredits =>
            $"The hold needs {PortalFormat.Credits(credits)} {wallet.Channel} credits; only " +
            $"{PortalFormat.Credits(list.Mode == AllocationMode.Assigned ? list.Assigned : wallet.Unassigned)} are available to this list now. Nothing was held.",
        ConsumptionReasons.MonthlyCap =>
            $"The list's monthly cap of {PortalFormat.Credits(list.CapPerMonth ?? 0)} messages leaves room for " +
            $"{PortalFormat.Credits(Math.Max(0, (list.CapPerMonth ?? 0) - list.SentThisMonth - list.HeldMessages))} more (held ones count); " +
            $"the hold is for {PortalFormat.Credits(messages)}. Nothing was held.",
        ConsumptionReasons.DailyLimit =>
            $"The Free plan sends at most {PortalFormat.Credits(s.Options.FreePlan.DailySendLimit)} messages a day; this hold is for " +
            $"{PortalFormat.Credits(messages)} ({PortalFormat.Credits(wallet.SentToday)} sent today). Nothing was held.",
        ConsumptionReasons.KeyCap => "This API key's monthly credit cap would be passed. Nothing was held.",
        _ => $"The {wallet.Channel} wallet has sends waiting for credits (R9); they come first. Nothing was held.",
    };
}
