using CreditPortal.Ledger;

namespace CreditPortal.Api;

/// <summary>What an authenticated key may do and who it is in the ledger (never the secret itself).</summary>
public sealed record ApiKeyInfo(long Id, long? AccountId, bool IsSupport, string Name, string Prefix)
{
    /// <summary>An account key's scopes (ApiScopes); a support key has them all.</summary>
    public IReadOnlyList<string> Scopes { get; init; } = ApiScopes.Default;

    public bool HasScope(string scope) => IsSupport || Scopes.Contains(scope);

    /// <summary>Issue #17: the account key's monthly credit cap (null: none).</summary>
    public long? MonthlyCreditCap { get; init; }

    /// <summary>What the ledger needs of the key for a send: an account key's id and cap (support keys have no cap).</summary>
    public SendingKey? SendingKey => IsSupport ? null : new SendingKey(Id, MonthlyCreditCap);

    /// <summary>Stored on every ledger and audit entry the key causes.</summary>
    public Actor Actor { get; } = IsSupport ? Actor.SupportKey(Name, Id) : Actor.ApiKey(Name, Id);

    /// <summary>A support key acts on every account; an account key only on its own.</summary>
    public bool MayActOn(long accountId) => IsSupport || AccountId == accountId;
}

/// <summary>A key just created: <see cref="Key"/> is shown this once and never again.</summary>
public sealed record CreatedApiKey(ApiKeyInfo Info, string Key);

/// <summary>A key as lists show it: its prefix, never the secret or its hash.</summary>
public sealed record ApiKeyView(long Id, long? AccountId, bool IsSupport, string Name, string Prefix, DateTimeOffset CreatedAt, string CreatedBy,
    DateTimeOffset? RevokedAt)
{
    public IReadOnlyList<string> Scopes { get; init; } = ApiScopes.Default;

    /// <summary>Issue #17: the monthly credit cap (null: none) and the credits taken through the key this local month.</summary>
    public long? MonthlyCreditCap { get; init; }
    public long CreditsThisMonth { get; init; }
}
