namespace CreditPortal.Api;

/// <summary>A machine credential. Only a hash of the secret is stored; the key is shown once.</summary>
public sealed class ApiKey
{
    public long Id { get; set; }

    /// <summary>Null for a support key (acts on every account).</summary>
    public long? AccountId { get; set; }

    public bool IsSupport { get; set; }
    public string Name { get; set; } = "";

    /// <summary>The first characters of the key, to recognise it in lists.</summary>
    public required string Prefix { get; set; }

    /// <summary>SHA-256 of the whole key, hex.</summary>
    public required string Hash { get; set; }

    /// <summary>Account keys: <c>send</c>, or <c>send manage</c> (ApiScopes), space-separated.</summary>
    public string Scopes { get; set; } = ApiScopes.Send;

    public DateTimeOffset CreatedAt { get; set; }
    public string CreatedBy { get; set; } = "";
    public DateTimeOffset? RevokedAt { get; set; }

    /// <summary>Issue #17: at most this many credits a local month through this key (null: no cap; account keys only).</summary>
    public long? MonthlyCreditCap { get; set; }
}
