using System.Diagnostics;

namespace CreditPortal.Tests.Infrastructure;

/// <summary>The app's build output run as a command (<c>CreditPortal add-support-user …</c>), as an operator runs it.</summary>
public static class AppCommand
{
    public sealed record Result(int ExitCode, string Output, string Error);

    public static async Task<Result> RunAsync(string connectionString, string environment, params string[] args)
    {
        var info = new ProcessStartInfo(RepoPaths.AppExecutable)
        {
            WorkingDirectory = RepoPaths.AppProject,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in args) info.ArgumentList.Add(arg);
        info.ArgumentList.Add("--contentRoot");
        info.ArgumentList.Add(RepoPaths.AppProject);
        info.Environment["ASPNETCORE_ENVIRONMENT"] = environment;
        info.Environment["ConnectionStrings__CreditPortal"] = connectionString;
        info.Environment["Logging__LogLevel__Default"] = "Warning";
        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{string.Join(" ", args)} did not exit within 120 s:\n{await output}\n{await error}");
        }
        return new Result(process.ExitCode, await output, await error);
    }
}
