using CreditPortal.Data;
using CreditPortal.Ledger;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace CreditPortal.Webhooks;

public sealed record WebhookEndpointView(long Id, string Url, IReadOnlyList<string> Events, string SecretPrefix, bool Enabled, string? DisabledReason,
    DateTimeOffset CreatedAt, string CreatedBy, int Pending, int Failed);

public sealed record CreatedWebhook(WebhookEndpointView Endpoint, string Secret);

public sealed record WebhookDeliveryView(long Id, long EndpointId, string Url, string EventId, string EventType, DateTimeOffset EventAt,
    DateTimeOffset CreatedAt, int Attempts, DateTimeOffset? LastAttemptAt, int? LastStatusCode, string? LastError, DateTimeOffset? NextAttemptAt,
    DateTimeOffset? DeliveredAt, DateTimeOffset? GivenUpAt)
{
    public string State => DeliveredAt is not null ? "Delivered" : GivenUpAt is not null ? "Failed" : "Pending";
}

public sealed record WebhookDeliveryPage(IReadOnlyList<WebhookDeliveryView> Items, int Total);

/// <summary>
/// An account's webhook endpoints and their delivery log (issue #17), for the portal page and the API alike. Every call names the
/// account: an endpoint or delivery of another account is "not found". Registering, enabling, disabling, rolling the secret,
/// deleting and resending are in the account's audit trail.
/// </summary>
public sealed class WebhookService(
    IDbContextFactory<CreditPortalDbContext> dbFactory,
    CreditLedger ledger,
    WebhookSecrets secrets,
    WebhookSignal signal,
    IOptions<WebhookOptions> options,
    IWebHostEnvironment environment,
    TimeProvider clock)
{
    public const int MaxUrlLength = 2000;

    /// <summary>HTTPS only, unless <c>Webhooks:AllowHttp</c> says otherwise (by default: in Development).</summary>
    public bool AllowsHttp => options.Value.AllowHttp ?? environment.IsDevelopment();

    /// <summary>The URL rule: absolute, https (http only where allowed), a host, no user name or password in it.</summary>
    public string CheckUrl(string? url)
    {
        var text = url?.Trim() ?? "";
        if (text.Length == 0) throw new LedgerValidationException("url", "Enter the URL that receives the events.");
        if (text.Length > MaxUrlLength) throw new LedgerValidationException("url", $"The URL must be at most {MaxUrlLength} characters.");
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || uri.Host.Length == 0 || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
            throw new LedgerValidationException("url", "Enter an absolute URL, like https://example.com/creditportal-events.");
        if (uri.Scheme == Uri.UriSchemeHttp && !AllowsHttp)
            throw new LedgerValidationException("url", "The URL must start with https://: events are signed, but their content is not secret to anyone on the way.");
        if (uri.UserInfo.Length > 0) throw new LedgerValidationException("url", "Leave the user name and password out of the URL.");
        if (uri.Fragment.Length > 0) throw new LedgerValidationException("url", "Leave the #fragment out of the URL: it is never sent.");
        return uri.AbsoluteUri;
    }

    public async Task<CreatedWebhook> CreateAsync(long accountId, string? url, IEnumerable<string?>? events, Actor actor, CancellationToken ct = default)
    {
        var checkedUrl = CheckUrl(url);
        var types = WebhookEventTypes.Parse(events);
        var secret = WebhookSecrets.New();
        var now = clock.GetUtcNow();
        var row = new WebhookEndpoint
        {
            AccountId = accountId, Url = checkedUrl, EventTypes = WebhookEventTypes.ToStored(types), ProtectedSecret = secrets.Protect(secret),
            SecretPrefix = secret[..(WebhookSecrets.Prefix.Length + 4)], CreatedAt = now, CreatedBy = actor.ToString(), ScannedThrough = now,
        };
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            if (!await db.Accounts.AnyAsync(a => a.Id == accountId, ct)) throw new LedgerNotFoundException($"Account {accountId}");
            if (await db.WebhookEndpoints.CountAsync(e => e.AccountId == accountId, ct) >= options.Value.MaxEndpointsPerAccount)
                throw new LedgerRuleException("webhook_limit", $"An account can have at most {options.Value.MaxEndpointsPerAccount} endpoints: delete one first.", "url");
            db.WebhookEndpoints.Add(row);
            await db.SaveChangesAsync(ct);
        }
        try
        {
            await ledger.RecordAuditAsync(accountId, actor, "webhook.created", null, $"{Describe(row)} events: {string.Join(", ", types)}", null);
        }
        catch
        {
            // No endpoint without its audit entry.
            await using var db = await dbFactory.CreateDbContextAsync(CancellationToken.None);
            await db.WebhookEndpoints.Where(e => e.Id == row.Id).ExecuteDeleteAsync(CancellationToken.None);
            throw;
        }
        return new CreatedWebhook(View(row, 0, 0), secret);
    }

    public async Task<IReadOnlyList<WebhookEndpointView>> ListAsync(long accountId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var rows = await db.WebhookEndpoints.AsNoTracking().Where(e => e.AccountId == accountId).OrderBy(e => e.Id).ToListAsync(ct);
        var counts = await db.WebhookDeliveries.AsNoTracking().Where(d => d.AccountId == accountId && d.DeliveredAt == null)
            .GroupBy(d => d.EndpointId)
            .Select(g => new { g.Key, Pending = g.Count(d => d.GivenUpAt == null), Failed = g.Count(d => d.GivenUpAt != null) })
            .ToDictionaryAsync(x => x.Key, ct);
        return rows.Select(r => View(r, counts.GetValueOrDefault(r.Id)?.Pending ?? 0, counts.GetValueOrDefault(r.Id)?.Failed ?? 0)).ToList();
    }

    /// <summary>Turns an endpoint on or off. Events that happen while it is off are not delivered later (turning it on starts from
    /// now); deliveries already waiting go on once it is on again.</summary>
    public async Task SetEnabledAsync(long accountId, long endpointId, bool enabled, Actor actor, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var row = await FindAsync(db, accountId, endpointId, ct);
        if (row.Enabled == enabled) return;
        row.Enabled = enabled;
        row.DisabledReason = enabled ? null : $"Disabled by {actor.Name}.";
        if (enabled) row.ScannedThrough = clock.GetUtcNow();
        await db.SaveChangesAsync(ct);
        await ledger.RecordAuditAsync(accountId, actor, enabled ? "webhook.enabled" : "webhook.disabled", Describe(row), enabled ? "enabled" : "disabled", null);
        if (enabled) signal.Set();
    }

    /// <summary>A new secret, shown once; the old one stops signing at once.</summary>
    public async Task<string> RollSecretAsync(long accountId, long endpointId, Actor actor, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var row = await FindAsync(db, accountId, endpointId, ct);
        var before = row.SecretPrefix;
        var secret = WebhookSecrets.New();
        row.ProtectedSecret = secrets.Protect(secret);
        row.SecretPrefix = secret[..(WebhookSecrets.Prefix.Length + 4)];
        await db.SaveChangesAsync(ct);
        await ledger.RecordAuditAsync(accountId, actor, "webhook.secret_rolled", $"{Describe(row)} secret {before}…", $"secret {row.SecretPrefix}…", null);
        return secret;
    }

    /// <summary>Deletes the endpoint and its delivery log; nothing more is sent to it.</summary>
    public async Task DeleteAsync(long accountId, long endpointId, Actor actor, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var row = await FindAsync(db, accountId, endpointId, ct);
        await using (var transaction = await db.Database.BeginTransactionAsync(ct))
        {
            await db.WebhookDeliveries.Where(d => d.EndpointId == row.Id).ExecuteDeleteAsync(ct);
            await db.WebhookEndpoints.Where(e => e.Id == row.Id).ExecuteDeleteAsync(ct);
            await transaction.CommitAsync(ct);
        }
        await ledger.RecordAuditAsync(accountId, actor, "webhook.deleted", Describe(row), "deleted", null);
    }

    /// <summary>The account's deliveries, newest first (of one endpoint when <paramref name="endpointId"/> is given), a page at a time.</summary>
    public async Task<WebhookDeliveryPage> DeliveriesAsync(long accountId, long? endpointId, int skip, int take, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (endpointId is { } id) await FindAsync(db, accountId, id, ct);
        var query = db.WebhookDeliveries.AsNoTracking().Where(d => d.AccountId == accountId);
        if (endpointId is { } only) query = query.Where(d => d.EndpointId == only);
        var total = await query.CountAsync(ct);
        var items = await Views(db, query.OrderByDescending(d => d.Id).Skip(Math.Max(0, skip)).Take(Math.Clamp(take, 1, 1000)), ct);
        return new WebhookDeliveryPage(items, total);
    }

    /// <summary>The API's cursor paging: deliveries older than <paramref name="beforeId"/>, newest first.</summary>
    public async Task<IReadOnlyList<WebhookDeliveryView>> DeliveriesBeforeAsync(long accountId, long endpointId, long? beforeId, int take, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await FindAsync(db, accountId, endpointId, ct);
        var query = db.WebhookDeliveries.AsNoTracking().Where(d => d.AccountId == accountId && d.EndpointId == endpointId);
        if (beforeId is { } before) query = query.Where(d => d.Id < before);
        return await Views(db, query.OrderByDescending(d => d.Id).Take(Math.Clamp(take, 1, 1000)), ct);
    }

    /// <summary>
    /// Sends the delivery again, with the same event id and body (a receiver that de-duplicates ignores it; one that lost it gets
    /// it): it becomes pending at once, with a fresh 24 hours of retries. Audited.
    /// </summary>
    public async Task ResendAsync(long accountId, long deliveryId, Actor actor, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var row = await db.WebhookDeliveries.AsNoTracking().FirstOrDefaultAsync(d => d.Id == deliveryId && d.AccountId == accountId, ct)
            ?? throw new LedgerNotFoundException($"Webhook delivery {deliveryId}");
        var now = clock.GetUtcNow();
        await db.WebhookDeliveries.Where(d => d.Id == deliveryId)
            .ExecuteUpdateAsync(s => s.SetProperty(d => d.DeliveredAt, (DateTimeOffset?)null).SetProperty(d => d.GivenUpAt, (DateTimeOffset?)null)
                .SetProperty(d => d.NextAttemptAt, now).SetProperty(d => d.Attempts, 0).SetProperty(d => d.RetryUntil, now + options.Value.RetryFor), ct);
        await ledger.RecordAuditAsync(accountId, actor, "webhook.resent", $"delivery #{row.Id} {row.EventId} ({row.EventType})",
            $"pending again for endpoint #{row.EndpointId}", null);
        signal.Set();
    }

    private static async Task<List<WebhookDeliveryView>> Views(CreditPortalDbContext db, IQueryable<WebhookDelivery> page, CancellationToken ct)
        => (await page.Join(db.WebhookEndpoints, d => d.EndpointId, e => e.Id, (d, e) => new { d, e.Url }).ToListAsync(ct))
            .OrderByDescending(x => x.d.Id)
            .Select(x => new WebhookDeliveryView(x.d.Id, x.d.EndpointId, x.Url, x.d.EventId, x.d.EventType, x.d.EventAt, x.d.CreatedAt, x.d.Attempts,
                x.d.LastAttemptAt, x.d.LastStatusCode, x.d.LastError, x.d.NextAttemptAt, x.d.DeliveredAt, x.d.GivenUpAt))
            .ToList();

    private static async Task<WebhookEndpoint> FindAsync(CreditPortalDbContext db, long accountId, long endpointId, CancellationToken ct)
        => await db.WebhookEndpoints.FirstOrDefaultAsync(e => e.Id == endpointId && e.AccountId == accountId, ct)
            ?? throw new LedgerNotFoundException($"Webhook endpoint {endpointId}");

    private static WebhookEndpointView View(WebhookEndpoint r, int pending, int failed)
        => new(r.Id, r.Url, WebhookEventTypes.FromStored(r.EventTypes), r.SecretPrefix, r.Enabled, r.DisabledReason, r.CreatedAt, r.CreatedBy, pending, failed);

    private static string Describe(WebhookEndpoint r) => $"endpoint #{r.Id} {r.Url}";
}
