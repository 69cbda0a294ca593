using MimeKit;

namespace CreditPortal.Alerts;

/// <summary>Writes each alert mail as <c>alert-{id}.eml</c> into a folder (development, or a mail relay that picks
/// files up). The file name comes from the alert, so writing the same alert again replaces its file.</summary>
public sealed class PickupAlertTransport(string folder) : IAlertTransport
{
    public bool IsUsable => true;

    public async Task<IReadOnlyList<string>> SendAsync(MimeMessage message, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(folder);
        var name = message.MessageId.Split('@')[0];
        var path = Path.Combine(folder, name + ".eml");
        var temporary = path + ".tmp";
        await message.WriteToAsync(temporary, cancellationToken);
        File.Move(temporary, path, overwrite: true); // a reader never sees half a file
        return [];
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
