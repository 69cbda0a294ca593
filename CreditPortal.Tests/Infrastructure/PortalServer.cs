using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;

namespace CreditPortal.Tests.Infrastructure;

// Also compiled into CreditPortal.E2E as a linked file (one copy of this code): keep it free of bunit and
// of anything only this project references.

/// <summary>
/// The real app in its own process on a real Kestrel port (loopback, port chosen by the OS), with its own
/// SQLite file. Used where only the real thing answers the question: migrations on a fresh file, cookies
/// and antiforgery over HTTP, a process kill in the middle of a write.
/// </summary>
public sealed partial class PortalServer : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly TaskCompletionSource<Uri> _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private PortalServer(Process process) => _process = process;

    public Uri BaseAddress { get; private set; } = default!;
    public string Output { get { lock (_output) return _output.ToString(); } }
    public bool HasExited => _process.HasExited;

    public static async Task<PortalServer> StartAsync(string connectionString, IDictionary<string, string>? settings = null, TimeSpan? timeout = null)
    {
        var info = new ProcessStartInfo(RepoPaths.AppExecutable)
        {
            // The project folder as working directory and content root, as `dotnet run --project` has it.
            WorkingDirectory = RepoPaths.AppProject,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add("--urls");
        info.ArgumentList.Add("http://127.0.0.1:0");
        info.ArgumentList.Add("--contentRoot");
        info.ArgumentList.Add(RepoPaths.AppProject);
        info.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        info.Environment["ConnectionStrings__CreditPortal"] = connectionString;
        // A PostgreSQL connection string names its server (TempDatabase on PostgreSQL); a SQLite one its file.
        info.Environment["Database__Provider"] = connectionString.Contains("Host=", StringComparison.OrdinalIgnoreCase) ? "PostgreSQL" : "Sqlite";
        info.Environment["Demo__Seed"] = "false";
        info.Environment["Logging__LogLevel__Default"] = "Information";
        info.Environment["Logging__Console__FormatterName"] = "simple";
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
            info.Environment[key.Replace(":", "__")] = value;

        var server = new PortalServer(new Process { StartInfo = info, EnableRaisingEvents = true });
        server._process.OutputDataReceived += (_, e) => server.OnLine(e.Data);
        server._process.ErrorDataReceived += (_, e) => server.OnLine(e.Data);
        server._process.Exited += (_, _) =>
        {
            // The exit can be noticed before the last lines of its output were read (why it exited is usually the
            // last line): WaitForExit() without a timeout also waits for the redirected streams to end.
            server._process.WaitForExit();
            server._listening.TrySetException(new InvalidOperationException("The app exited before listening:\n" + server.Output));
        };
        server._process.Start();
        server._process.BeginOutputReadLine();
        server._process.BeginErrorReadLine();
        // A first start migrates a fresh file and, with Demo:Seed, records the demo's thirteen months: seconds on a
        // quiet machine, a minute or more on one shared by several builds. The bound only catches a start that hangs.
        var limit = timeout ?? TimeSpan.FromSeconds(180);
        try
        {
            server.BaseAddress = await server._listening.Task.WaitAsync(limit);
        }
        catch (TimeoutException)
        {
            await server.DisposeAsync();
            throw new TimeoutException($"The app did not listen within {limit.TotalSeconds} s. Its output:\n{server.Output}");
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
        return server;
    }

    public HttpClient CreateClient(bool followRedirects = false, System.Net.CookieContainer? cookies = null)
    {
        var handler = new HttpClientHandler { AllowAutoRedirect = followRedirects, UseCookies = true, CookieContainer = cookies ?? new System.Net.CookieContainer() };
        return new HttpClient(handler) { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
    }

    /// <summary>SIGKILL: no graceful shutdown, no flushing — what a crash looks like.</summary>
    public void Kill()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        _process.WaitForExit();
    }

    private void OnLine(string? line)
    {
        if (line is null) return;
        lock (_output) _output.AppendLine(line);
        var match = ListeningLine().Match(line);
        if (match.Success) _listening.TrySetResult(new Uri(match.Groups[1].Value.TrimEnd('/') + "/"));
    }

    [GeneratedRegex(@"Now listening on: (http://\S+)")]
    private static partial Regex ListeningLine();

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }
}
