using CreditPortal.Data;
using CreditPortal.Scheduling;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace CreditPortal.Alerts;

/// <summary>
/// Delivers recorded alerts to their recipients (R10). Alerts are an outbox: the ledger commits them with the
/// change that raised them, and this loop mails them afterwards, so a crash can delay a mail but never lose one.
/// <list type="bullet">
/// <item>One attempt per alert at a time: an attempt is claimed in the database first (attempt count + 1, held for
/// <see cref="MailOptions.AttemptLease"/>), so two loops, or two instances, never send the same alert at once, however
/// slow the send; a claimer that crashed frees the alert when its lease ends. An alert whose attempts fail waits 1, 2, 4 … at most 60 minutes (<see cref="MailOptions.RetryFirst"/>,
/// <see cref="MailOptions.RetryMax"/>) without holding up the others.</item>
/// <item>A mail that went out is marked delivered at once, alone, so it is never sent again. Only a crash in the
/// instant between the server's "250 OK" and that mark could send it twice; it then carries the same Message-ID.</item>
/// <item>An SMTP server that cannot be reached costs no attempt: the whole mailer waits (same backoff) and every
/// waiting alert goes out once it is back. Nothing is ever given up: none is lost.</item>
/// </list>
/// </summary>
public sealed class AlertMailer(
    IDbContextFactory<CreditPortalDbContext> dbFactory,
    IOptions<MailOptions> options,
    IWebHostEnvironment environment,
    AlertOutboxSignal signal,
    TimeProvider clock,
    ILogger<AlertMailer> logger) : BackgroundService
{
    private const int Batch = 100;
    private static readonly TimeSpan Poll = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan MinSleep = TimeSpan.FromMilliseconds(100);

    private readonly SemaphoreSlim _gate = new(1, 1);
    private int _serverFailures;
    private DateTimeOffset _serverRetryAt = DateTimeOffset.MinValue;

    /// <summary>Since when the SMTP server could not be reached (null: it could, or nothing was tried).</summary>
    public DateTimeOffset? ServerUnreachableSince { get; private set; }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await DeliverPendingAsync(stoppingToken);
                await signal.WaitAsync(await UntilNextAttemptAsync(stoppingToken), stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                // The database itself failed (locked, full): nothing was marked, everything is tried again.
                logger.LogError(ex, "Alert delivery failed; retrying");
                try { await Task.Delay(Poll, stoppingToken); } catch (OperationCanceledException) { return; }
            }
        }
    }

    /// <summary>Mails every alert whose next attempt is due; returns how many went out.</summary>
    public async Task<int> DeliverPendingAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var delivered = 0;
            int round;
            do
            {
                round = await DeliverBatchAsync(cancellationToken);
                delivered += Math.Max(round, 0);
            } while (round == Batch);
            return delivered;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>What waits to be mailed: how many alerts, and when the oldest was raised.</summary>
    public async Task<(int Count, DateTimeOffset? Oldest)> BacklogAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var waiting = db.Alerts.Where(a => a.DeliveredAt == null);
        var count = await waiting.CountAsync(cancellationToken);
        var oldest = count == 0 ? null : await waiting.OrderBy(a => a.Id).Select(a => (DateTimeOffset?)a.At).FirstOrDefaultAsync(cancellationToken);
        return (count, oldest);
    }

    /// <summary>How long the loop may sleep: until the server's retry while it cannot be used, else until the earliest
    /// next attempt of an alert still waiting, at most <see cref="Poll"/> (a new alert wakes it earlier through the
    /// signal). An alert whose attempt fell due while the round ran (it was not due when the round read what is due)
    /// counts too: it is due now, so the loop goes round again at once instead of sleeping a whole poll.</summary>
    private async Task<TimeSpan> UntilNextAttemptAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        if (_serverRetryAt > now) return Clamp(_serverRetryAt - now);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var waiting = db.Alerts.Where(a => a.DeliveredAt == null);
        if (await waiting.AnyAsync(a => a.NextDeliveryAt == null || a.NextDeliveryAt <= now, cancellationToken)) return MinSleep;
        var next = await waiting.MinAsync(a => a.NextDeliveryAt, cancellationToken);
        return next is { } at ? Clamp(at - now) : Poll;
    }

    private static TimeSpan Clamp(TimeSpan wait) => wait < MinSleep ? MinSleep : wait > Poll ? Poll : wait;

    /// <summary>One batch; answers how many were delivered, or -1 when the server could not be used.</summary>
    private async Task<int> DeliverBatchAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        if (now < _serverRetryAt) return 0;
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var due = await db.Alerts.AsNoTracking()
            .Where(a => a.DeliveredAt == null && (a.NextDeliveryAt == null || a.NextDeliveryAt <= now))
            .OrderBy(a => a.Id).Take(Batch).ToListAsync(cancellationToken);
        if (due.Count == 0) return 0;
        var accountIds = due.Select(a => a.AccountId).Distinct().ToList();
        var names = await db.Accounts.AsNoTracking().Where(a => accountIds.Contains(a.Id)).ToDictionaryAsync(a => a.Id, a => a.Name, cancellationToken);

        IAlertTransport transport;
        try
        {
            transport = await OpenAsync(cancellationToken);
        }
        catch (Exception error) when (!cancellationToken.IsCancellationRequested)
        {
            ServerFailed(error);
            return -1;
        }

        var delivered = 0;
        await using (transport)
        {
            ServerWorks();
            foreach (var alert in due)
            {
                if (!transport.IsUsable) { ServerFailed(new IOException("The SMTP connection was lost.")); return -1; }
                if (await DeliverAsync(db, transport, alert, names.GetValueOrDefault(alert.AccountId), cancellationToken)) delivered++;
            }
        }
        return delivered;
    }

    private async Task<bool> DeliverAsync(CreditPortalDbContext db, IAlertTransport transport, Alert alert, string? accountName,
        CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        // R10: the account's owner logins always get its alerts, and the billing contacts (fixed when the alert was
        // raised) in addition, "in case you are away". Owners are read now, so a login added since is not forgotten;
        // a login support disabled is left out.
        var owners = await db.Users.AsNoTracking()
            .Where(u => u.AccountId == alert.AccountId && u.Email != null && u.DisabledReason == null)
            .OrderBy(u => u.Email).Select(u => u.Email!).ToListAsync(cancellationToken);
        var recipients = owners.Concat(alert.Recipients.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            .Distinct(StringComparer.OrdinalIgnoreCase).ToArray();
        if (recipients.Length == 0)
        {
            await Mark(db, alert.Id).ExecuteUpdateAsync(s => s.SetProperty(a => a.DeliveredAt, now).SetProperty(a => a.DeliveryError, "no recipients"),
                cancellationToken);
            return false;
        }

        // Claim the attempt first: only the caller whose update matched the row sends. The claim holds the alert for a
        // lease that outlasts any send, not for the backoff: with a backoff shorter than a slow send, another mailer
        // would see the alert due again while this one is still sending it, and mail it a second time.
        var attempt = alert.DeliveryAttempts + 1;
        var leaseEnd = now + options.Value.AttemptLease;
        var claimed = await Mark(db, alert.Id)
            .Where(a => a.DeliveryAttempts == alert.DeliveryAttempts)
            .ExecuteUpdateAsync(s => s.SetProperty(a => a.DeliveryAttempts, attempt).SetProperty(a => a.NextDeliveryAt, leaseEnd), cancellationToken);
        if (claimed == 0) return false;

        try
        {
            using var message = AlertMessage.Create(alert, accountName, options.Value.From, recipients);
            var refused = await transport.SendAsync(message, cancellationToken);
            var note = refused.Count == 0 ? null : "refused by the server: " + string.Join("; ", refused);
            // Not the caller's token: once the server took the mail, that must be recorded.
            await Mark(db, alert.Id).ExecuteUpdateAsync(s => s.SetProperty(a => a.DeliveredAt, clock.GetUtcNow()).SetProperty(a => a.DeliveryError, note),
                CancellationToken.None);
            if (note is not null) logger.LogWarning("Alert {AlertId} mailed, but {Note}", alert.Id, note);
            return true;
        }
        catch (Exception error) when (!cancellationToken.IsCancellationRequested)
        {
            var text = $"attempt {attempt}: {error.GetType().Name}: {error.Message}";
            var retryAt = clock.GetUtcNow() + Backoff.After(attempt, options.Value.RetryFirst, options.Value.RetryMax);
            await Mark(db, alert.Id).ExecuteUpdateAsync(s => s.SetProperty(a => a.DeliveryError, text.Length > 1000 ? text[..1000] : text)
                    .SetProperty(a => a.NextDeliveryAt, retryAt),
                CancellationToken.None);
            logger.LogWarning(error, "Alert {AlertId} not mailed (attempt {Attempt}); next attempt at {RetryAt}", alert.Id, attempt, retryAt);
            return false;
        }
    }

    private static IQueryable<Alert> Mark(CreditPortalDbContext db, long id) => db.Alerts.Where(a => a.Id == id && a.DeliveredAt == null);

    private async Task<IAlertTransport> OpenAsync(CancellationToken cancellationToken)
    {
        var o = options.Value;
        if (!string.IsNullOrWhiteSpace(o.SmtpHost)) return await SmtpAlertTransport.ConnectAsync(o, cancellationToken);
        var folder = string.IsNullOrWhiteSpace(o.PickupDirectory)
            ? Path.Combine(environment.ContentRootPath, "App_Data", "mail-pickup")
            : o.PickupDirectory;
        return new PickupAlertTransport(Path.GetFullPath(folder));
    }

    private void ServerFailed(Exception error)
    {
        var now = clock.GetUtcNow();
        _serverFailures++;
        ServerUnreachableSince ??= now;
        _serverRetryAt = now + Backoff.After(_serverFailures, options.Value.RetryFirst, options.Value.RetryMax);
        logger.LogWarning(error, "The mail server cannot be used ({Failures} in a row); alerts wait until {RetryAt}", _serverFailures, _serverRetryAt);
    }

    private void ServerWorks()
    {
        if (_serverFailures > 0) logger.LogInformation("The mail server works again after {Failures} failure(s)", _serverFailures);
        _serverFailures = 0;
        _serverRetryAt = DateTimeOffset.MinValue;
        ServerUnreachableSince = null;
    }
}
