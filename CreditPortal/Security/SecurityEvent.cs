namespace CreditPortal.Security;

/// <summary>
/// One line of the security log (issue #12, ASVS V7): failed and throttled logins, lockouts, password changes,
/// disabling and unlocking logins, support API keys created and revoked. Support reads all of it; an owner reads
/// the lines of their own account's logins. Append-only, like the audit trail.
/// </summary>
public sealed class SecurityEvent
{
    public long Id { get; set; }
    public DateTimeOffset At { get; set; }

    /// <summary>What happened (<see cref="SecurityEventKinds"/>).</summary>
    public required string Kind { get; set; }

    /// <summary>The login concerned: the email as typed for a failed login (which may belong to nobody).</summary>
    public string? Email { get; set; }

    /// <summary>The account of the login concerned, so its owner can read the line; null for support logins, unknown emails
    /// and support keys.</summary>
    public long? AccountId { get; set; }

    /// <summary>The client's address as the app saw it (after forwarded headers, when configured).</summary>
    public string? Ip { get; set; }

    /// <summary>Who did it, when not the login itself (support disabling a login: <c>support:Display Name</c>).</summary>
    public string? Actor { get; set; }

    public string? Detail { get; set; }
}

/// <summary>The kinds of <see cref="SecurityEvent"/>.</summary>
public static class SecurityEventKinds
{
    public const string LoginFailed = "login.failed";
    public const string LoginThrottled = "login.throttled";
    public const string LockedOut = "login.locked-out";
    public const string PasswordChanged = "password.changed";
    public const string TwoFactorEnabled = "two-factor.enabled";
    public const string TwoFactorDisabled = "two-factor.disabled";
    public const string RecoveryCodesRenewed = "two-factor.recovery-codes-renewed";
    public const string TwoFactorFailed = "two-factor.failed";
    public const string LoginDisabled = "login.disabled";
    public const string LoginUnlocked = "login.unlocked";
    public const string SupportKeyCreated = "support-key.created";
    public const string SupportKeyRevoked = "support-key.revoked";
}
