namespace CreditPortal.Ledger;

/// <summary>
/// Issue #17: the account API key a send comes through, and its monthly credit cap (null: none). A send that would take
/// the key's credits this month (account time) past the cap is rejected with <c>key_cap</c>, so a leaked key or a
/// runaway automation does bounded damage (docs/domain.md §6, "Spending cap per API key").
/// </summary>
public sealed record SendingKey(long KeyId, long? MonthlyCreditCap);
