using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using CreditPortal.Ledger.Engine;
using CreditPortal.Ledger.Rules;
using CreditPortal.Ledger.State;

namespace CreditPortal.Ledger.Commands;

public sealed record ConsumptionRequest(Channel Channel, long ListId, long Quantity, string? Country, string? Reference, string IdempotencyKey)
{
    /// <summary>What "the same body" means for idempotency: every field but the key.</summary>
    public string Hash()
    {
        var canonical = string.Join('|', Channel, ListId.ToString(CultureInfo.InvariantCulture), Quantity.ToString(CultureInfo.InvariantCulture),
            Country?.ToUpperInvariant() ?? "", Reference ?? "");
        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)), 0, 16);
    }
}

/// <param name="LowBalanceRemaining">R9 "running low": the credits the wallet holds after the send when that is at or below
/// <see cref="RunningLow.Percent"/>% of its last purchase or cycle grant; null otherwise (and on Pro).</param>
public sealed record ConsumptionResult(long Id, ConsumptionStatus Status, string? Reason, bool Replayed, long? LowBalanceRemaining = null);

/// <summary>
/// One send: all or nothing. Accepted draws its credits (R1, R4); a refusal (R6 cap, R7 daily limit,
/// insufficient credits) is Rejected, or Queued when the account holds sends (R9). While a wallet has
/// queued sends, new ones queue behind them. The same idempotency key returns the first answer.
/// </summary>
public static class Consume
{
    /// <param name="key">The account API key the send came through, with its cap (issue #17); null from the portal or a support key.</param>
    public static ConsumptionResult Execute(LedgerSession s, long accountId, ConsumptionRequest r, Actor actor, SendingKey? key = null)
    {
        Validate.Quantity(r.Quantity);
        Validate.IdempotencyKey(r.IdempotencyKey);
        var creditsPerMessage = CheckSend(s, r.Channel, r.Quantity, r.Country, r.Reference);
        var hash = r.Hash();

        if (s.Records.FindConsumption(accountId, r.IdempotencyKey) is { } first)
        {
            if (first.RequestHash != hash) throw new IdempotencyConflictException(r.IdempotencyKey);
            // The warning is advice about the wallet as it is now, not part of the recorded send: a retry reads it afresh.
            var now = Target(s, accountId, r.Channel, r.ListId).Wallet;
            return new ConsumptionResult(first.Id, first.Status, first.Reason, Replayed: true, RunningLow.Remaining(now));
        }

        var (account, wallet, list) = Target(s, accountId, r.Channel, r.ListId);
        var credits = checked(r.Quantity * creditsPerMessage);
        var at = s.Now;
        var (status, reason) = Decide(s, account, wallet, list, r.Quantity, credits, at, key);
        var unmetered = status == ConsumptionStatus.Accepted && wallet.Row.Plan == Plan.Pro;

        var id = s.Records.AddConsumption(new Consumption
        {
            AccountId = accountId, WalletId = wallet.Id, ListId = r.ListId, Channel = r.Channel, Quantity = r.Quantity,
            Country = r.Country?.ToUpperInvariant(), CreditsPerMessage = creditsPerMessage, Credits = credits,
            Status = status, InitialStatus = status, Reason = reason, InitialReason = reason, Reference = r.Reference,
            IdempotencyKey = r.IdempotencyKey, RequestHash = hash, RequestedAt = at, DecidedAt = status == ConsumptionStatus.Queued ? null : at,
            Unmetered = unmetered, Actor = actor.ToString(),
        });

        switch (status)
        {
            case ConsumptionStatus.Accepted:
                s.Sends.Accept(account, wallet, list, id, r.Quantity, credits, at, actor);
                s.Alerts.CheckThresholds(account, wallet, at);
                break;
            case ConsumptionStatus.Rejected:
                s.Sends.CountRejected(account, wallet, r.ListId, r.Quantity, at);
                break;
            case ConsumptionStatus.Queued:
                s.Sends.Enqueue(account, wallet, new QueuedConsumption(id, r.ListId, r.Quantity, credits), at);
                break;
        }
        // The key's month counts what it asked for and got (accepted, or queued to go later), not refusals.
        if (key is not null && status != ConsumptionStatus.Rejected) s.Sends.CountKeySpend(account, key, credits, at);
        return new ConsumptionResult(id, status, reason, Replayed: false, RunningLow.Remaining(wallet));
    }

    /// <summary>Checks a send's fields and returns the credits one message costs (1, or the SMS rate of its country).</summary>
    internal static int CheckSend(LedgerSession s, Channel channel, long quantity, string? country, string? reference)
    {
        Validate.Quantity(quantity);
        Validate.OptionalText(reference, "reference", 200);
        if (channel != Channel.Sms) return 1;
        if (string.IsNullOrWhiteSpace(country)) throw new LedgerValidationException("country", "country is required for Sms (ISO 3166 alpha-2, e.g. IT).");
        return s.Rates.CreditsPerMessage(country)
            ?? throw new LedgerValidationException("country",
                $"SMS to '{country}' cannot be sent; supported countries: {string.Join(", ", s.Rates.All.Keys)}.", "unsupported_country");
    }

    /// <summary>Opens the account (running what is due by now) and finds the wallet and list a send goes to.</summary>
    internal static (AccountState Account, WalletState Wallet, ListAllocationState List) Target(LedgerSession s, long accountId, Channel channel, long listId)
    {
        var account = s.Open(accountId);
        if (!account.ListNames.ContainsKey(listId)) throw new LedgerNotFoundException($"List {listId}");
        var wallet = account.Wallet(channel);
        return (account, wallet, wallet.List(listId));
    }

    /// <summary>
    /// What happens to a send now: Accepted, or the blocker (R6, R7, credits) as Rejected, or Queued when the
    /// account holds sends (R9); while a wallet has queued sends, new ones queue behind them to keep the order.
    /// A send that can never pass (more messages than its list's monthly cap, or than the Free plan's daily limit) is
    /// rejected at once: queued, it would wait for good and hold up every send behind it. A send past its API key's monthly
    /// cap (issue #17) is rejected first, never queued: waiting would not bring the key's month back.
    /// </summary>
    internal static (ConsumptionStatus Status, string? Reason) Decide(LedgerSession s, AccountState account, WalletState wallet,
        ListAllocationState list, long messages, long credits, DateTimeOffset at, SendingKey? key = null)
    {
        if (s.Sends.BeyondKeyCap(account, key, credits, at)) return (ConsumptionStatus.Rejected, ConsumptionReasons.KeyCap);
        if (list.CapEnabled && list.CapPerMonth is { } cap && messages > cap) return (ConsumptionStatus.Rejected, ConsumptionReasons.MonthlyCap);
        if (wallet.Row.Plan == Plan.Free && messages > s.Options.FreePlan.DailySendLimit)
            return (ConsumptionStatus.Rejected, ConsumptionReasons.DailyLimit);
        var blocker = s.Sends.Blocker(account, wallet, list, messages, credits, at);
        var queueFull = wallet.Queue.Count >= s.Limits.MaxQueuedSendsPerAccount;
        if (wallet.Queue.Count > 0) return queueFull ? (ConsumptionStatus.Rejected, ConsumptionReasons.QueueFull) : (ConsumptionStatus.Queued, blocker);
        if (blocker is null) return (ConsumptionStatus.Accepted, null);
        if (!account.Row.HoldWhenOutOfCredits) return (ConsumptionStatus.Rejected, blocker);
        return queueFull ? (ConsumptionStatus.Rejected, ConsumptionReasons.QueueFull) : (ConsumptionStatus.Queued, blocker);
    }
}
