using MimeKit;

namespace CreditPortal.Alerts;

/// <summary>Where alert mails go: an SMTP server (<see cref="SmtpAlertTransport"/>) or a pickup folder (<see cref="PickupAlertTransport"/>).</summary>
public interface IAlertTransport : IAsyncDisposable
{
    /// <summary>Sends one message; returns the recipients the server refused (the others got it). Throws when
    /// nobody got it.</summary>
    Task<IReadOnlyList<string>> SendAsync(MimeMessage message, CancellationToken cancellationToken);

    /// <summary>False once the connection is gone: the rest of the batch waits for the next round.</summary>
    bool IsUsable { get; }
}
