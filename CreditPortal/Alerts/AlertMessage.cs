using System.Text;
using CreditPortal.Ledger;
using MimeKit;

namespace CreditPortal.Alerts;

/// <summary>The mail of one alert (R10): plain text, to the alert's recipients, with a Message-ID derived from the
/// alert so that a mail sent again after a crash is recognisably the same message.</summary>
public static class AlertMessage
{
    public static MimeMessage Create(Alert alert, string? accountName, string from, IEnumerable<string> recipients)
    {
        var sender = MailboxAddress.Parse(from);
        var message = new MimeMessage
        {
            Subject = OneLine(Subject(alert, accountName)),
            Date = alert.At,
            MessageId = $"alert-{alert.Id}@{sender.Domain}",
            Body = new TextPart("plain") { Text = alert.Detail },
        };
        message.From.Add(new MailboxAddress(OneLine(accountName is null ? "CreditPortal" : "CreditPortal for " + accountName), sender.Address));
        foreach (var to in recipients) message.To.Add(MailboxAddress.Parse(OneLine(to)));
        return message;
    }

    /// <summary>
    /// A header value on one line: every line break or other control character becomes a space. Account names
    /// and addresses come from customers; a line break in a header would let them add headers of their own.
    /// </summary>
    public static string OneLine(string value)
    {
        if (!value.Any(char.IsControl)) return value.Trim();
        var text = new StringBuilder(value.Length);
        foreach (var c in value) text.Append(char.IsControl(c) ? ' ' : c);
        return string.Join(' ', text.ToString().Split(' ', StringSplitOptions.RemoveEmptyEntries));
    }

    public static string Subject(Alert alert, string? accountName) => alert.Kind switch
    {
        AlertKind.LowBalance15 => $"{accountName}: {alert.Channel} credits at 15% or less",
        AlertKind.LowBalance5 => $"{accountName}: {alert.Channel} credits at 5% or less",
        AlertKind.Depleted => $"{accountName}: {alert.Channel} credits used up",
        AlertKind.AutoRenewed => $"{accountName}: {alert.Channel} credits renewed",
        AlertKind.AutoRenewDeclined => $"{accountName}: {alert.Channel} auto-renew payment declined",
        AlertKind.ExpiringSoon => $"{accountName}: {alert.Channel} credits expire soon",
        AlertKind.UnusualUsage => $"{accountName}: unusual {alert.Channel} use in the last hour",
        _ => $"{accountName}: {alert.Kind}",
    };
}
