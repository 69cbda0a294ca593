using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using MimeKit;

namespace CreditPortal.Tests.Infrastructure;

/// <summary>
/// A real SMTP server on loopback: Debian's aiosmtpd (<c>/usr/bin/python3 -m aiosmtpd</c>, installed by ./test.sh)
/// with its Mailbox handler, which stores every message it accepts in a maildir (adding <c>X-RcptTo</c>, the
/// envelope's recipients). It can be stopped and started again on the same port, as an outage looks to a client.
/// </summary>
public sealed class SmtpTestServer : IAsyncDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "creditportal-smtp-" + Guid.NewGuid().ToString("N"));
    private Process? _process;

    private SmtpTestServer() => Port = FreePort();

    public int Port { get; }
    public string MailDir => Path.Combine(_folder, "maildir");
    public bool IsRunning => _process is { HasExited: false };

    public static async Task<SmtpTestServer> StartAsync()
    {
        var server = new SmtpTestServer();
        Directory.CreateDirectory(server._folder);
        await server.StartAgainAsync();
        return server;
    }

    /// <summary>Starts the server (again) on <see cref="Port"/> and waits until it accepts connections.</summary>
    public async Task StartAgainAsync()
    {
        if (IsRunning) return;
        var info = new ProcessStartInfo("/usr/bin/python3")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { "-m", "aiosmtpd", "-n", "-l", $"127.0.0.1:{Port}", "-c", "aiosmtpd.handlers.Mailbox", MailDir })
            info.ArgumentList.Add(argument);
        _process = Process.Start(info) ?? throw new InvalidOperationException("python3 -m aiosmtpd did not start");
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();

        var watch = Stopwatch.StartNew();
        while (true)
        {
            if (_process.HasExited) throw new InvalidOperationException($"aiosmtpd exited with {_process.ExitCode} (is python3-aiosmtpd installed?)");
            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync(IPAddress.Loopback, Port);
                return;
            }
            catch (SocketException) when (watch.Elapsed < TimeSpan.FromSeconds(30))
            {
                await Task.Delay(50);
            }
        }
    }

    /// <summary>Stops the server: connections are refused until <see cref="StartAgainAsync"/>.</summary>
    public async Task StopAsync()
    {
        if (_process is null) return;
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
        _process.Dispose();
        _process = null;
    }

    /// <summary>Every message the server accepted so far, oldest first.</summary>
    public IReadOnlyList<MimeMessage> Messages()
    {
        var folder = Path.Combine(MailDir, "new");
        if (!Directory.Exists(folder)) return [];
        return Directory.GetFiles(folder).Select(f => (File: f, At: File.GetLastWriteTimeUtc(f))).OrderBy(f => f.At).ThenBy(f => f.File)
            .Select(f => MimeMessage.Load(f.File)).ToList();
    }

    /// <summary>Waits until at least <paramref name="count"/> messages arrived (or fails after <paramref name="timeout"/>).</summary>
    public async Task<IReadOnlyList<MimeMessage>> WaitForAsync(int count, TimeSpan? timeout = null)
    {
        var watch = Stopwatch.StartNew();
        while (true)
        {
            var messages = Messages();
            if (messages.Count >= count) return messages;
            Assert.True(watch.Elapsed < (timeout ?? TimeSpan.FromSeconds(30)), $"{messages.Count} of {count} messages arrived");
            await Task.Delay(50);
        }
    }

    private static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        try { Directory.Delete(_folder, recursive: true); } catch (IOException) { }
    }
}
