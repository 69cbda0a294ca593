using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using CreditPortal.Clock;
using CreditPortal.Data;
using CreditPortal.Ledger;
using CreditPortal.Security;
using Microsoft.EntityFrameworkCore;

namespace CreditPortal.Api;

/// <summary>
/// API keys for machines: account keys (one account) and support keys (every account). A key is shown
/// once when created; only its SHA-256 and a short prefix are stored. Creating and revoking an account
/// key is recorded in the account's audit trail (R11). Used by the HTTP API and by the portal pages.
/// <para>
/// Validation is on every API request, so validated keys are cached in memory by hash: a consumption
/// pays a hash and a dictionary lookup for its authentication, not a query. Revoking removes the key
/// from the cache and remembers the revoked id, so a lookup racing with the revocation cannot put it
/// back. (One process owns the SQLite file, so this cache is the only one.)
/// </para>
/// </summary>
public sealed class ApiKeyService(IDbContextFactory<CreditPortalDbContext> dbFactory, CreditLedger ledger, TimeProvider clock,
    ILogger<ApiKeyService> logger, SecurityLog securityLog)
{
    public const string AccountKeyPrefix = "cpa_";
    public const string SupportKeyPrefix = "cps_";

    /// <summary>A presented key longer than this is not one of ours (and is not hashed).</summary>
    public const int MaxKeyLength = 256;

    private readonly ConcurrentDictionary<string, ApiKeyInfo> _byHash = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<long, bool> _revoked = new();

    // Issue #17: a key's cap can change. A lookup that read the row before the change must not cache the old cap after
    // the change removed it from the cache: it caches only when no change happened while it read.
    private long _changes;

    public async Task<CreatedApiKey> CreateForAccountAsync(long accountId, string? name, Actor createdBy, CancellationToken ct = default)
        => await CreateForAccountAsync(accountId, name, ApiScopes.Default, createdBy, ct);

    /// <summary>An account key with <paramref name="scopes"/> (ApiScopes.Parse: <c>send</c> by default).</summary>
    /// <param name="monthlyCreditCap">Issue #17: at most this many credits a local month through the key (null: no cap).</param>
    public async Task<CreatedApiKey> CreateForAccountAsync(long accountId, string? name, IReadOnlyList<string> scopes, Actor createdBy,
        CancellationToken ct = default, long? monthlyCreditCap = null)
    {
        name = KeyName(name);
        if (monthlyCreditCap is { } cap) Validate.NonNegative(cap, "monthlyCreditCap");
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            if (!await db.Accounts.AnyAsync(a => a.Id == accountId, ct)) throw new LedgerNotFoundException($"Account {accountId}");
        }
        var created = await InsertAsync(accountId, isSupport: false, name, NewSecret(AccountKeyPrefix), createdBy, ct, scopes: scopes,
            monthlyCreditCap: monthlyCreditCap);
        try
        {
            await ledger.RecordAuditAsync(accountId, createdBy, "apikey.created", null,
                $"{Describe(created.Info)} scopes: {string.Join(", ", created.Info.Scopes)}{CapText(monthlyCreditCap, " monthly credit cap: ")}", null);
        }
        catch
        {
            // No key without its audit entry.
            await DeleteAsync(created.Info.Id);
            throw;
        }
        return created;
    }

    /// <summary>A support key acts on every account, so it has no account audit trail: its creation goes to the
    /// security log, which support reads.</summary>
    public async Task<CreatedApiKey> CreateSupportKeyAsync(string? name, Actor createdBy, CancellationToken ct = default)
    {
        var created = await InsertAsync(null, isSupport: true, KeyName(name), NewSecret(SupportKeyPrefix), createdBy, ct);
        await RecordSupportKeyAsync(SecurityEventKinds.SupportKeyCreated, created.Info, createdBy, null, ct);
        return created;
    }

    private Task RecordSupportKeyAsync(string kind, ApiKeyInfo key, Actor actor, string? why, CancellationToken ct)
        => securityLog.RecordAsync(kind, null, null, null, actor.ToString(), why is null ? Describe(key) : $"{Describe(key)}: {why}", ct);

    /// <summary>The name of the key <c>Bootstrap:SupportApiKey</c> sets up.</summary>
    public const string BootstrapKeyName = "bootstrap";

    /// <summary>
    /// <c>Bootstrap:SupportApiKey</c>: makes sure a support key with this value exists. Idempotent. A key that was
    /// revoked stays revoked (revocation is deliberate): change the configured value instead. A new value revokes the
    /// key of the previous one (issue #12): changing the setting is how an operator replaces a leaked key.
    /// </summary>
    public async Task EnsureSupportKeyAsync(string key, CancellationToken ct = default)
    {
        if (key.Length > MaxKeyLength) throw new InvalidOperationException($"Bootstrap:SupportApiKey must be at most {MaxKeyLength} characters.");
        var hash = Hash(key);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var existing = await db.ApiKeys.AsNoTracking().FirstOrDefaultAsync(k => k.Hash == hash, ct);
        if (existing is not null)
        {
            if (!existing.IsSupport) throw new InvalidOperationException("Bootstrap:SupportApiKey equals an account key; choose another value.");
            if (existing.RevokedAt is not null)
                logger.LogWarning("Bootstrap:SupportApiKey names support key #{Id}, which was revoked; it stays revoked", existing.Id);
            return;
        }
        var bootstrapBy = Actor.System.ToString();
        var previous = await db.ApiKeys
            .Where(k => k.IsSupport && k.RevokedAt == null && k.Name == BootstrapKeyName && k.CreatedBy == bootstrapBy)
            .ToListAsync(ct);
        foreach (var old in previous)
        {
            _revoked[old.Id] = true;
            _byHash.TryRemove(old.Hash, out _);
            old.RevokedAt = clock.GetUtcNow();
        }
        await db.SaveChangesAsync(ct);
        foreach (var old in previous)
            await RecordSupportKeyAsync(SecurityEventKinds.SupportKeyRevoked, ToInfo(old), Actor.System, "Bootstrap:SupportApiKey changed", ct);
        var created = await InsertAsync(null, isSupport: true, BootstrapKeyName, key, Actor.System, ct, prefixLength: 4);
        await RecordSupportKeyAsync(SecurityEventKinds.SupportKeyCreated, created.Info, Actor.System, "from Bootstrap:SupportApiKey", ct);
    }

    public async Task<IReadOnlyList<ApiKeyView>> ListAsync(long? accountId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var keys = accountId is { } id
            ? db.ApiKeys.AsNoTracking().Where(k => k.AccountId == id)
            : db.ApiKeys.AsNoTracking().Where(k => k.IsSupport);
        // Issue #17: each key's credits in the account's current local month, beside its cap.
        var used = new Dictionary<long, long>();
        if (accountId is { } owner && await db.Accounts.AsNoTracking().Where(a => a.Id == owner).Select(a => a.TimeZoneId).FirstOrDefaultAsync(ct) is { } zone)
        {
            var month = new AccountCalendar(zone).MonthKey(clock.GetUtcNow());
            used = await db.ApiKeyMonthlyUsage.AsNoTracking().Where(u => u.AccountId == owner && u.Month == month)
                .ToDictionaryAsync(u => u.ApiKeyId, u => u.Credits, ct);
        }
        return (await keys.OrderBy(k => k.Id).ToListAsync(ct))
            .Select(k => new ApiKeyView(k.Id, k.AccountId, k.IsSupport, k.Name, k.Prefix, k.CreatedAt, k.CreatedBy, k.RevokedAt)
            {
                Scopes = ApiScopes.FromStored(k.Scopes),
                MonthlyCreditCap = k.MonthlyCreditCap,
                CreditsThisMonth = used.GetValueOrDefault(k.Id),
            })
            .ToList();
    }

    /// <summary>
    /// Issue #17: sets or removes (null) an account key's monthly credit cap, at once: the key is dropped from the cache so its
    /// next request reads the new cap. Audited (<c>apikey.cap</c>). A revoked key is 422 <c>key_revoked</c>.
    /// </summary>
    public async Task SetMonthlyCreditCapAsync(long keyId, long accountId, long? monthlyCreditCap, Actor actor, CancellationToken ct = default)
    {
        if (monthlyCreditCap is { } cap) Validate.NonNegative(cap, "monthlyCreditCap");
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var key = await db.ApiKeys.FirstOrDefaultAsync(k => k.Id == keyId && k.AccountId == accountId, ct)
            ?? throw new LedgerNotFoundException($"API key {keyId}");
        if (key.RevokedAt is not null) throw new LedgerRuleException("key_revoked", "This key is revoked: it sends nothing, so it needs no cap.", "monthlyCreditCap");
        var before = key.MonthlyCreditCap;
        if (before == monthlyCreditCap) return;
        key.MonthlyCreditCap = monthlyCreditCap;
        await db.SaveChangesAsync(ct);
        Interlocked.Increment(ref _changes);
        _byHash.TryRemove(key.Hash, out _);
        await ledger.RecordAuditAsync(accountId, actor, "apikey.cap", $"{Describe(ToInfo(key))}{CapText(before, ": ")}",
            monthlyCreditCap is null ? "no cap" : CapText(monthlyCreditCap, ""), null);
    }

    private static string CapText(long? cap, string prefix)
        => cap is { } c ? $"{prefix}{c.ToString("N0", System.Globalization.CultureInfo.InvariantCulture)} credits a month" : "";

    /// <summary>
    /// Revokes a key at once (also in the cache). <paramref name="accountId"/> scopes the call: a key of
    /// another account is "not found". Revoking a revoked key changes nothing.
    /// </summary>
    public async Task RevokeAsync(long keyId, long? accountId, Actor actor, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var key = await db.ApiKeys.FirstOrDefaultAsync(k => k.Id == keyId, ct);
        if (key is null || (accountId is { } scope && key.AccountId != scope) || (accountId is null && !key.IsSupport))
            throw new LedgerNotFoundException($"API key {keyId}");
        _revoked[key.Id] = true;
        _byHash.TryRemove(key.Hash, out _);
        if (key.RevokedAt is not null) return;
        key.RevokedAt = clock.GetUtcNow();
        await db.SaveChangesAsync(ct);
        var info = ToInfo(key);
        if (key.AccountId is { } owner)
            await ledger.RecordAuditAsync(owner, actor, "apikey.revoked", Describe(info), "revoked", null);
        else
            await RecordSupportKeyAsync(SecurityEventKinds.SupportKeyRevoked, info, actor, null, ct);
    }

    /// <summary>The key's rights, or null when it is unknown or revoked. Cached after the first success.</summary>
    public ValueTask<ApiKeyInfo?> AuthenticateAsync(ReadOnlySpan<char> presented, CancellationToken ct = default)
    {
        if (presented.IsEmpty || presented.Length > MaxKeyLength) return ValueTask.FromResult<ApiKeyInfo?>(null);
        var hash = Hash(presented);
        if (_byHash.TryGetValue(hash, out var cached))
            return ValueTask.FromResult(_revoked.ContainsKey(cached.Id) ? null : cached);
        return LoadAsync(hash, ct);
    }

    private async ValueTask<ApiKeyInfo?> LoadAsync(string hash, CancellationToken ct)
    {
        var changes = Interlocked.Read(ref _changes);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var key = await db.ApiKeys.AsNoTracking().FirstOrDefaultAsync(k => k.Hash == hash && k.RevokedAt == null, ct);
        if (key is null) return null; // unknown keys are not cached: they would let anyone fill the memory
        var info = ToInfo(key);
        if (_revoked.ContainsKey(info.Id)) return null;
        if (Interlocked.Read(ref _changes) == changes) _byHash[hash] = info;
        return info;
    }

    /// <summary>SHA-256 of the key's UTF-8 bytes, lower-case hex (what <see cref="ApiKey.Hash"/> stores).</summary>
    public static string Hash(ReadOnlySpan<char> key)
    {
        Span<byte> utf8 = stackalloc byte[Encoding.UTF8.GetMaxByteCount(MaxKeyLength)];
        var length = Encoding.UTF8.GetBytes(key[..Math.Min(key.Length, MaxKeyLength)], utf8);
        Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(utf8[..length], digest);
        return Convert.ToHexStringLower(digest);
    }

    private async Task<CreatedApiKey> InsertAsync(long? accountId, bool isSupport, string name, string secret, Actor createdBy,
        CancellationToken ct, int prefixLength = 12, IReadOnlyList<string>? scopes = null, long? monthlyCreditCap = null)
    {
        var row = new ApiKey
        {
            AccountId = accountId, IsSupport = isSupport, Name = name, Prefix = secret[..Math.Min(prefixLength, secret.Length)],
            Hash = Hash(secret), CreatedAt = clock.GetUtcNow(), CreatedBy = createdBy.ToString(),
            Scopes = ApiScopes.ToStored(scopes ?? ApiScopes.Default), MonthlyCreditCap = isSupport ? null : monthlyCreditCap,
        };
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        db.ApiKeys.Add(row);
        await db.SaveChangesAsync(ct);
        return new CreatedApiKey(ToInfo(row), secret);
    }

    private async Task DeleteAsync(long id)
    {
        await using var db = await dbFactory.CreateDbContextAsync();
        await db.ApiKeys.Where(k => k.Id == id).ExecuteDeleteAsync();
    }

    private static ApiKeyInfo ToInfo(ApiKey k) => new(k.Id, k.AccountId, k.IsSupport, k.Name, k.Prefix)
    {
        Scopes = ApiScopes.FromStored(k.Scopes), MonthlyCreditCap = k.MonthlyCreditCap,
    };

    private static string Describe(ApiKeyInfo k) => $"key #{k.Id} {k.Prefix}… \"{k.Name}\"";

    private static string KeyName(string? name) => Validate.Text(string.IsNullOrWhiteSpace(name) ? "API key" : name, "name", 100);

    /// <summary>32 random bytes, base64url: 256 bits, so a key cannot be guessed and a plain SHA-256 is enough.</summary>
    private static string NewSecret(string prefix)
        => prefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
