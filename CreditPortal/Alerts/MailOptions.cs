using MailKit.Security;

namespace CreditPortal.Alerts;

/// <summary>Configuration section <c>Mail</c>: SMTP when <see cref="SmtpHost"/> is set, otherwise .eml files
/// in a pickup folder (default App_Data/mail-pickup).</summary>
public sealed class MailOptions
{
    public const string Section = "Mail";

    public string From { get; set; } = "credits@creditportal.local";
    public string? SmtpHost { get; set; }
    public int SmtpPort { get; set; } = 25;

    /// <summary>MailKit's choice: <c>Auto</c> (TLS on 465, STARTTLS when offered), <c>None</c>, <c>StartTls</c>, <c>SslOnConnect</c>.</summary>
    public SecureSocketOptions Security { get; set; } = SecureSocketOptions.Auto;

    /// <summary>With <see cref="Password"/>: SMTP authentication. Give the password through the environment or a secret store.</summary>
    public string? UserName { get; set; }
    public string? Password { get; set; }

    /// <summary>How long one SMTP operation (connect, a command, a message) may take.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>After a failed attempt an alert waits this long, doubling with each attempt, at most <see cref="RetryMax"/>.</summary>
    public TimeSpan RetryFirst { get; set; } = TimeSpan.FromMinutes(1);
    public TimeSpan RetryMax { get; set; } = TimeSpan.FromHours(1);

    /// <summary>How long a claimed attempt holds its alert. It must outlast any send (several <see cref="Timeout"/>s):
    /// another mailer may take the alert only once this has passed, which happens only when the claimer crashed.
    /// A failed attempt replaces it by the backoff at once.</summary>
    public TimeSpan AttemptLease { get; set; } = TimeSpan.FromMinutes(10);

    public string? PickupDirectory { get; set; }
}
