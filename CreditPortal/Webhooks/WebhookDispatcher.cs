using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Text;
using CreditPortal.Data;
using CreditPortal.Scheduling;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace CreditPortal.Webhooks;

/// <summary>Set when a delivery should go out before the next poll (a resend).</summary>
public sealed class WebhookSignal : AsyncSignal;

/// <summary>
/// Turns committed ledger rows into deliveries and sends them (issue #17). An outbox: nothing is lost across restarts.
/// <list type="bullet">
/// <item><b>Events</b> are derived per enabled endpoint from its high-water mark (<see cref="WebhookEndpoint.ScannedThrough"/>) up to
/// <see cref="WebhookOptions.Settle"/> before now (<see cref="WebhookEvents"/>). The new deliveries and the moved mark are one
/// transaction, and the mark only moves if nobody moved it meanwhile, so a crash or a second instance neither skips nor doubles an
/// event. The ledger's writer is not involved: an account without endpoints costs nothing per send.</item>
/// <item><b>Attempts</b> are claimed first (attempt count + 1, held for <see cref="WebhookOptions.AttemptLease"/>), like the alert
/// mailer's, so two instances never send the same delivery at once. 2xx is delivered; anything else, no answer or a timeout
/// (<see cref="WebhookOptions.AttemptTimeout"/>) is retried after 30 s, 1, 2, 4 … at most 60 min (± 20% jitter) until 24 h after the
/// event, then given up. 410 Gone gives up at once and disables the endpoint: the receiver said it is gone for good.</item>
/// <item><b>Isolation</b>: each endpoint is sent by a task of its own that the loop does not wait for, so a receiver that hangs
/// for its whole timeout delays only its own deliveries.</item>
/// </list>
/// At least once: a crash between the receiver's answer and the mark sends it again, with the same event id.
/// </summary>
public sealed class WebhookDispatcher(
    IDbContextFactory<CreditPortalDbContext> dbFactory,
    IHttpClientFactory httpClients,
    WebhookSecrets secrets,
    WebhookSignal signal,
    IOptions<WebhookOptions> options,
    TimeProvider clock,
    ILogger<WebhookDispatcher> logger) : BackgroundService
{
    public const string HttpClientName = "webhooks";
    private const int Batch = 50;

    private readonly ConcurrentDictionary<long, Task> _sending = new();

    /// <summary>When the loop last finished a round (health: a loop that stopped going round).</summary>
    public DateTimeOffset? LastRoundAt { get; private set; }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await RoundAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex)
            {
                // The database itself failed: nothing was marked, the next round tries everything again.
                logger.LogError(ex, "Webhook round failed; retrying");
            }
            try { await signal.WaitAsync(options.Value.Poll, stoppingToken); } catch (OperationCanceledException) { break; }
        }
        try { await Task.WhenAll(_sending.Values); } catch { /* each task logs its own */ }
    }

    /// <summary>One round: new events of every enabled endpoint become deliveries, and every endpoint with a due delivery that is
    /// not already being sent gets a sending task.</summary>
    public async Task RoundAsync(CancellationToken cancellationToken)
    {
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            var endpoints = await db.WebhookEndpoints.AsNoTracking().Where(e => e.Enabled).ToListAsync(cancellationToken);
            foreach (var endpoint in endpoints)
            {
                try
                {
                    await DeriveAsync(endpoint, cancellationToken);
                }
                catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
                {
                    // One endpoint's failure (its account's rows, a conflict) does not stop the others'.
                    logger.LogWarning(ex, "Webhook events of endpoint {EndpointId} could not be read; trying again next round", endpoint.Id);
                }
            }

            var now = clock.GetUtcNow();
            var due = await db.WebhookDeliveries.AsNoTracking()
                .Where(d => d.NextAttemptAt != null && d.NextAttemptAt <= now)
                .Join(db.WebhookEndpoints.Where(e => e.Enabled), d => d.EndpointId, e => e.Id, (d, e) => d.EndpointId)
                .Distinct().ToListAsync(cancellationToken);
            foreach (var endpointId in due) StartSending(endpointId, cancellationToken);
        }
        LastRoundAt = clock.GetUtcNow();
    }

    /// <summary>Waits for the sending tasks running now (tests, shutdown).</summary>
    public Task SendingAsync() => Task.WhenAll(_sending.Values);

    /// <summary>What waits to be delivered (pending, not given up): how many deliveries, and when the oldest was created.</summary>
    public async Task<(int Count, DateTimeOffset? Oldest)> BacklogAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var waiting = db.WebhookDeliveries.Where(d => d.NextAttemptAt != null);
        var count = await waiting.CountAsync(cancellationToken);
        var oldest = count == 0 ? null : await waiting.OrderBy(d => d.Id).Select(d => (DateTimeOffset?)d.CreatedAt).FirstOrDefaultAsync(cancellationToken);
        return (count, oldest);
    }

    private void StartSending(long endpointId, CancellationToken stoppingToken)
    {
        if (_sending.ContainsKey(endpointId)) return;
        var task = new TaskCompletionSource();
        if (!_sending.TryAdd(endpointId, task.Task)) return;
        _ = Task.Run(async () =>
        {
            try
            {
                await SendDueAsync(endpointId, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
            }
            catch (Exception ex)
            {
                logger.LogWarning(ex, "Webhook deliveries of endpoint {EndpointId} stopped; next round goes on", endpointId);
            }
            finally
            {
                _sending.TryRemove(endpointId, out _);
                task.SetResult();
            }
        }, CancellationToken.None);
    }

    private async Task DeriveAsync(WebhookEndpoint endpoint, CancellationToken ct)
    {
        var to = clock.GetUtcNow() - options.Value.Settle;
        var from = endpoint.ScannedThrough;
        if (to <= from) return;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var events = await WebhookEvents.InWindowAsync(db, endpoint, from, to, ct);
        // The mark moves only from where this round read it: another instance that got there first wins, this one adds nothing.
        var moved = await db.WebhookEndpoints.Where(e => e.Id == endpoint.Id && e.ScannedThrough == from && e.Enabled)
            .ExecuteUpdateAsync(s => s.SetProperty(e => e.ScannedThrough, to), ct);
        if (moved == 0) return;
        if (events.Count > 0)
        {
            // An event seen in an earlier window (a queued consumption released later) is not delivered twice.
            var ids = events.Select(e => e.Id).ToList();
            var existing = (await db.WebhookDeliveries.Where(d => d.EndpointId == endpoint.Id && ids.Contains(d.EventId))
                .Select(d => d.EventId).ToListAsync(ct)).ToHashSet(StringComparer.Ordinal);
            var now = clock.GetUtcNow();
            foreach (var e in events.Where(e => !existing.Contains(e.Id)).DistinctBy(e => e.Id))
                db.WebhookDeliveries.Add(new WebhookDelivery
                {
                    EndpointId = endpoint.Id, AccountId = endpoint.AccountId, EventId = e.Id, EventType = e.Type, EventAt = e.At,
                    Payload = e.Payload, CreatedAt = now, NextAttemptAt = now, RetryUntil = now + options.Value.RetryFor,
                });
            await db.SaveChangesAsync(ct);
        }
        await transaction.CommitAsync(ct);
    }

    private async Task SendDueAsync(long endpointId, CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            var endpoint = await db.WebhookEndpoints.AsNoTracking().FirstOrDefaultAsync(e => e.Id == endpointId && e.Enabled, ct);
            if (endpoint is null) return;
            var now = clock.GetUtcNow();
            var due = await db.WebhookDeliveries.AsNoTracking()
                .Where(d => d.EndpointId == endpointId && d.NextAttemptAt != null && d.NextAttemptAt <= now)
                .OrderBy(d => d.Id).Take(Batch).ToListAsync(ct);
            if (due.Count == 0) return;
            var secret = secrets.Unprotect(endpoint.ProtectedSecret);
            foreach (var delivery in due)
                if (await AttemptAsync(db, endpoint, secret, delivery, ct) == Outcome.EndpointGone) return;
            if (due.Count < Batch) return;
        }
    }

    private enum Outcome { Delivered, Failed, NotClaimed, EndpointGone }

    private async Task<Outcome> AttemptAsync(CreditPortalDbContext db, WebhookEndpoint endpoint, string secret, WebhookDelivery delivery,
        CancellationToken ct)
    {
        var o = options.Value;
        var now = clock.GetUtcNow();
        var attempt = delivery.Attempts + 1;
        var claimed = await Pending(db, delivery.Id)
            .Where(d => d.Attempts == delivery.Attempts && d.NextAttemptAt == delivery.NextAttemptAt)
            .ExecuteUpdateAsync(s => s.SetProperty(d => d.Attempts, attempt).SetProperty(d => d.NextAttemptAt, now + o.AttemptLease)
                .SetProperty(d => d.LastAttemptAt, now), ct);
        if (claimed == 0) return Outcome.NotClaimed;

        int? status = null;
        string? error = null;
        try
        {
            var body = Encoding.UTF8.GetBytes(delivery.Payload);
            using var request = new HttpRequestMessage(HttpMethod.Post, endpoint.Url) { Content = new ByteArrayContent(body) };
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
            request.Headers.TryAddWithoutValidation(WebhookSignature.EventIdHeader, delivery.EventId);
            request.Headers.TryAddWithoutValidation(WebhookSignature.EventTypeHeader, delivery.EventType);
            request.Headers.TryAddWithoutValidation(WebhookSignature.Header,
                WebhookSignature.HeaderValue(secret, clock.GetUtcNow().ToUnixTimeSeconds(), body));
            // The attempt's limit is real time, not the app's clock: it bounds a network wait (a manual clock would never end it).
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(o.AttemptTimeout);
            using var response = await httpClients.CreateClient(HttpClientName).SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            status = (int)response.StatusCode;
            if (!response.IsSuccessStatusCode) error = $"HTTP {status} {response.ReasonPhrase}";
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            error = $"no answer within {o.AttemptTimeout.TotalSeconds:0} s";
        }
        catch (Exception ex) when (!ct.IsCancellationRequested)
        {
            error = $"{ex.GetType().Name}: {ex.Message}";
        }
        if (error is { Length: > 1000 }) error = error[..1000];

        // Not the caller's token: once the receiver answered, that must be recorded.
        var after = clock.GetUtcNow();
        if (error is null)
        {
            await Mark(db, delivery.Id).ExecuteUpdateAsync(s => s.SetProperty(d => d.DeliveredAt, after).SetProperty(d => d.NextAttemptAt, (DateTimeOffset?)null)
                .SetProperty(d => d.LastStatusCode, status).SetProperty(d => d.LastError, (string?)null), CancellationToken.None);
            return Outcome.Delivered;
        }
        if (status == StatusCodes.Status410Gone)
        {
            await Mark(db, delivery.Id).ExecuteUpdateAsync(s => s.SetProperty(d => d.GivenUpAt, after).SetProperty(d => d.NextAttemptAt, (DateTimeOffset?)null)
                .SetProperty(d => d.LastStatusCode, status).SetProperty(d => d.LastError, "410 Gone: the endpoint was disabled"), CancellationToken.None);
            var reason = $"The receiver answered 410 Gone on {after:yyyy-MM-dd HH:mm} UTC.";
            await db.WebhookEndpoints.Where(e => e.Id == endpoint.Id)
                .ExecuteUpdateAsync(s => s.SetProperty(e => e.Enabled, false).SetProperty(e => e.DisabledReason, reason), CancellationToken.None);
            logger.LogWarning("Webhook endpoint {EndpointId} answered 410 Gone; it is disabled", endpoint.Id);
            return Outcome.EndpointGone;
        }
        var wait = Backoff.After(attempt, o.RetryFirst, o.RetryMax);
        var next = after + wait * (0.8 + 0.4 * Random.Shared.NextDouble());
        var text = $"attempt {attempt}: {error}";
        if (next > delivery.RetryUntil)
        {
            await Mark(db, delivery.Id).ExecuteUpdateAsync(s => s.SetProperty(d => d.GivenUpAt, after).SetProperty(d => d.NextAttemptAt, (DateTimeOffset?)null)
                .SetProperty(d => d.LastStatusCode, status).SetProperty(d => d.LastError, text), CancellationToken.None);
            logger.LogWarning("Webhook delivery {DeliveryId} given up after {Attempts} attempt(s): {Error}", delivery.Id, attempt, error);
        }
        else
        {
            await Mark(db, delivery.Id).ExecuteUpdateAsync(s => s.SetProperty(d => d.NextAttemptAt, next)
                .SetProperty(d => d.LastStatusCode, status).SetProperty(d => d.LastError, text), CancellationToken.None);
            logger.LogInformation("Webhook delivery {DeliveryId} failed (attempt {Attempt}: {Error}); next attempt at {Next}", delivery.Id, attempt, error, next);
        }
        return Outcome.Failed;
    }

    private static IQueryable<WebhookDelivery> Pending(CreditPortalDbContext db, long id)
        => db.WebhookDeliveries.Where(d => d.Id == id && d.NextAttemptAt != null);

    /// <summary>The claimed delivery, as long as nobody finished or resent it meanwhile.</summary>
    private static IQueryable<WebhookDelivery> Mark(CreditPortalDbContext db, long id)
        => db.WebhookDeliveries.Where(d => d.Id == id && d.DeliveredAt == null && d.GivenUpAt == null);
}
