namespace CreditPortal.Alerts;

/// <summary>Configuration section <c>Mail</c>: SMTP when <see cref="SmtpHost"/> is set, otherwise .eml files
/// in a pickup folder (default App_Data/mail-pickup).</summary>
public sealed class MailOptions
{
    public const string Section = "Mail";

    public string From { get; set; } = "credits@creditportal.local";
    public string? SmtpHost { get; set; }
    public int SmtpPort { get; set; } = 25;
    public string? PickupDirectory { get; set; }
}
