using System.Net.Mail;
using CreditPortal.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace CreditPortal.Alerts;

/// <summary>
/// Delivers recorded alerts to the billing contacts (R10). Alerts are an outbox: the ledger commits them
/// with the change that raised them, and this loop mails them afterwards, so a crash can delay a mail but
/// never lose one. Delivery failures are recorded and retried.
/// </summary>
public sealed class AlertMailer(
    IDbContextFactory<CreditPortalDbContext> dbFactory,
    IOptions<MailOptions> options,
    IWebHostEnvironment environment,
    AlertOutboxSignal signal,
    TimeProvider clock,
    ILogger<AlertMailer> logger) : BackgroundService
{
    private static readonly TimeSpan Poll = TimeSpan.FromSeconds(30);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await DeliverPendingAsync(stoppingToken);
                await signal.WaitAsync(Poll, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                logger.LogError(ex, "Alert delivery failed; retrying");
                try { await Task.Delay(Poll, stoppingToken); } catch (OperationCanceledException) { return; }
            }
        }
    }

    /// <summary>Mails every undelivered alert; returns how many were delivered.</summary>
    public async Task<int> DeliverPendingAsync(CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var pending = await db.Alerts.Where(a => a.DeliveredAt == null).OrderBy(a => a.Id).Take(100).ToListAsync(cancellationToken);
        if (pending.Count == 0) return 0;
        var accounts = await db.Accounts.AsNoTracking().Where(a => pending.Select(p => p.AccountId).Contains(a.Id))
            .ToDictionaryAsync(a => a.Id, a => a.Name, cancellationToken);
        using var smtp = CreateClient();
        var delivered = 0;
        foreach (var alert in pending)
        {
            var recipients = alert.Recipients.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            if (recipients.Length == 0)
            {
                alert.DeliveredAt = clock.GetUtcNow();
                alert.DeliveryError = "no billing contacts";
                continue;
            }
            try
            {
                using var message = new MailMessage { From = new MailAddress(options.Value.From), Subject = Subject(alert, accounts.GetValueOrDefault(alert.AccountId)), Body = alert.Detail };
                foreach (var to in recipients) message.To.Add(to);
                await smtp.SendMailAsync(message, cancellationToken);
                alert.DeliveredAt = clock.GetUtcNow();
                alert.DeliveryError = null;
                delivered++;
            }
            catch (SmtpException ex)
            {
                alert.DeliveryError = ex.Message;
                logger.LogWarning(ex, "Alert {AlertId} not delivered yet", alert.Id);
            }
        }
        await db.SaveChangesAsync(cancellationToken);
        return delivered;
    }

    private SmtpClient CreateClient()
    {
        var o = options.Value;
        if (!string.IsNullOrWhiteSpace(o.SmtpHost))
            return new SmtpClient(o.SmtpHost, o.SmtpPort);
        var folder = string.IsNullOrWhiteSpace(o.PickupDirectory)
            ? Path.Combine(environment.ContentRootPath, "App_Data", "mail-pickup")
            : o.PickupDirectory;
        Directory.CreateDirectory(folder);
        return new SmtpClient { DeliveryMethod = SmtpDeliveryMethod.SpecifiedPickupDirectory, PickupDirectoryLocation = Path.GetFullPath(folder) };
    }

    private static string Subject(Alert alert, string? accountName) => alert.Kind switch
    {
        Ledger.AlertKind.LowBalance15 => $"{accountName}: {alert.Channel} credits at 15% or less",
        Ledger.AlertKind.LowBalance5 => $"{accountName}: {alert.Channel} credits at 5% or less",
        Ledger.AlertKind.Depleted => $"{accountName}: {alert.Channel} credits used up",
        Ledger.AlertKind.AutoRenewed => $"{accountName}: {alert.Channel} credits renewed",
        Ledger.AlertKind.AutoRenewDeclined => $"{accountName}: {alert.Channel} auto-renew payment declined",
        _ => $"{accountName}: {alert.Kind}",
    };
}
