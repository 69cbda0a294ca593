using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using CreditPortal.Ledger.Engine;
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

public sealed record ConsumptionResult(long Id, ConsumptionStatus Status, string? Reason, bool Replayed);

/// <summary>
/// One send: all or nothing. Accepted draws its credits (R1, R4); a refusal (R6 cap, R7 daily limit,
/// insufficient credits) is Rejected, or Queued when the account holds sends (R9). While a wallet has
/// queued sends, new ones queue behind them. The same idempotency key returns the first answer.
/// </summary>
public static class Consume
{
    public static ConsumptionResult Execute(LedgerSession s, long accountId, ConsumptionRequest r, Actor actor)
    {
        Validate.Quantity(r.Quantity);
        Validate.IdempotencyKey(r.IdempotencyKey);
        Validate.OptionalText(r.Reference, "reference", 200);
        var creditsPerMessage = 1;
        if (r.Channel == Channel.Sms)
        {
            if (string.IsNullOrWhiteSpace(r.Country)) throw new LedgerValidationException("country", "country is required for Sms (ISO 3166 alpha-2, e.g. IT).");
            creditsPerMessage = s.Rates.CreditsPerMessage(r.Country)
                ?? throw new LedgerValidationException("country",
                    $"SMS to '{r.Country}' cannot be sent; supported countries: {string.Join(", ", s.Rates.All.Keys)}.", "unsupported_country");
        }
        var hash = r.Hash();

        if (s.Records.FindConsumption(accountId, r.IdempotencyKey) is { } first)
        {
            if (first.RequestHash != hash) throw new IdempotencyConflictException(r.IdempotencyKey);
            return new ConsumptionResult(first.Id, first.Status, first.Reason, Replayed: true);
        }

        var account = s.Open(accountId);
        if (!account.ListNames.ContainsKey(r.ListId)) throw new LedgerNotFoundException($"List {r.ListId}");
        var credits = checked(r.Quantity * creditsPerMessage);
        var wallet = account.Wallet(r.Channel);
        var list = wallet.List(r.ListId);
        var at = s.Now;

        var blocker = s.Sends.Blocker(account, wallet, list, r.Quantity, credits, at);
        ConsumptionStatus status;
        if (wallet.Queue.Count > 0) status = ConsumptionStatus.Queued;          // keep the order of sending
        else if (blocker is null) status = ConsumptionStatus.Accepted;
        else status = account.Row.HoldWhenOutOfCredits ? ConsumptionStatus.Queued : ConsumptionStatus.Rejected;
        var reason = status == ConsumptionStatus.Accepted ? null : blocker;
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
        return new ConsumptionResult(id, status, reason, Replayed: false);
    }
}
