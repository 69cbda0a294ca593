namespace CreditPortal.Ledger;

/// <summary>A business rule refused the operation (API: 422 with <see cref="Code"/>). Nothing changed.</summary>
public sealed class LedgerRuleException(string code, string message, string? field = null) : Exception(message)
{
    public string Code { get; } = code;

    /// <summary>The request field the refusal is about, for form messages.</summary>
    public string? Field { get; } = field;
}

/// <summary>The account, list, order or pack does not exist (or is not the caller's). Nothing changed.</summary>
public sealed class LedgerNotFoundException(string what) : Exception($"{what} was not found.")
{
    public string What { get; } = what;
}

/// <summary>Bad input the service layer caught (API: 400 naming the field). Nothing changed.</summary>
public sealed class LedgerValidationException(string field, string message, string? code = null) : Exception(message)
{
    public string Field { get; } = field;

    /// <summary>A machine code when the input problem has one (e.g. <c>unsupported_country</c>).</summary>
    public string? Code { get; } = code;
}

/// <summary>An idempotency key reused with a different request (API: 409). Nothing changed.</summary>
public sealed class IdempotencyConflictException(string key)
    : Exception($"The idempotency key '{key}' was already used for a different request.")
{
    public string Key { get; } = key;
}

/// <summary>The ledger cannot take the command now: its queue is full (<c>busy</c>), the database is locked by
/// another process past its timeout (<c>busy</c>), or the disk is full (<c>storage_full</c>). Nothing changed;
/// the same request, with the same idempotency key, may be sent again after <see cref="RetryAfter"/>
/// (API: 503 with Retry-After).</summary>
public sealed class LedgerBusyException(string code, string message, TimeSpan retryAfter, Exception? inner = null) : Exception(message, inner)
{
    public const string Busy = "busy";
    public const string StorageFull = "storage_full";

    public string Code { get; } = code;
    public TimeSpan RetryAfter { get; } = retryAfter;
}

/// <summary>Issue #17: the hold is no longer active, so it cannot be <see cref="Attempted"/> (API: 409 <c>hold_captured</c>,
/// <c>hold_voided</c> or <c>hold_expired</c>). Nothing changed.</summary>
public sealed class HoldEndedException(long holdId, HoldStatus status, string attempted)
    : Exception($"Hold {holdId} is {status}: it cannot be {attempted}.")
{
    public long HoldId { get; } = holdId;
    public HoldStatus Status { get; } = status;
    public string Attempted { get; } = attempted;
    public string Code => "hold_" + status.ToString().ToLowerInvariant();
}
