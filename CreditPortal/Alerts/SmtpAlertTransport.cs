using MailKit.Net.Smtp;
using MimeKit;

namespace CreditPortal.Alerts;

/// <summary>
/// Alert mails over SMTP with MailKit, one connection per round of deliveries. A recipient the server refuses does
/// not stop the message to the others (it is reported back); a message nobody accepted throws.
/// </summary>
public sealed class SmtpAlertTransport : IAlertTransport
{
    private readonly Client _client = new();

    private SmtpAlertTransport() { }

    public static async Task<SmtpAlertTransport> ConnectAsync(MailOptions options, CancellationToken cancellationToken)
    {
        var transport = new SmtpAlertTransport();
        try
        {
            transport._client.Timeout = (int)options.Timeout.TotalMilliseconds;
            await transport._client.ConnectAsync(options.SmtpHost, options.SmtpPort, options.Security, cancellationToken);
            if (!string.IsNullOrEmpty(options.UserName))
                await transport._client.AuthenticateAsync(options.UserName, options.Password ?? "", cancellationToken);
            return transport;
        }
        catch
        {
            await transport.DisposeAsync();
            throw;
        }
    }

    public bool IsUsable => _client.IsConnected;

    public async Task<IReadOnlyList<string>> SendAsync(MimeMessage message, CancellationToken cancellationToken)
    {
        _client.Refused.Clear();
        await _client.SendAsync(message, cancellationToken);
        return _client.Refused.ToList();
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (_client.IsConnected) await _client.DisconnectAsync(quit: true);
        }
        catch (Exception)
        {
            // Quitting politely is a courtesy; the messages already have their answers.
        }
        _client.Dispose();
    }

    private sealed class Client : SmtpClient
    {
        public readonly List<string> Refused = [];

        protected override void OnRecipientNotAccepted(MimeMessage message, MailboxAddress mailbox, SmtpResponse response)
            => Refused.Add($"{mailbox.Address} ({(int)response.StatusCode} {response.Response})");
    }
}
