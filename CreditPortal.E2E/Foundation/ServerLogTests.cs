using CreditPortal.E2E.Infrastructure;

namespace CreditPortal.E2E.Foundation;

public sealed class ServerLogTests
{
    private const string Log = """
        info: Microsoft.Hosting.Lifetime[14]
              Now listening on: http://127.0.0.1:40000
        warn: CreditPortal.Identity.Pages.Login[0]
              Login locked out for someone@example.test
        fail: Microsoft.AspNetCore.Components.Server.Circuits.CircuitHost[111]
              Unhandled exception in circuit 'abc'.
              System.InvalidOperationException: boom
        info: Microsoft.Hosting.Lifetime[0]
              Application is shutting down...
        crit: Microsoft.AspNetCore.Hosting.Diagnostics[6]
              Application startup exception
        """;

    [Fact]
    public void Error_and_critical_entries_are_found_with_their_details_and_nothing_else()
    {
        var errors = ServerLog.ErrorsIn(Log.ReplaceLineEndings("\n")).ToList();

        Assert.Collection(errors,
            e => Assert.Equal("fail: Microsoft.AspNetCore.Components.Server.Circuits.CircuitHost[111]\n      Unhandled exception in circuit 'abc'.\n      System.InvalidOperationException: boom", e),
            e => Assert.StartsWith("crit: Microsoft.AspNetCore.Hosting.Diagnostics[6]\n      Application startup exception", e));
    }

    [Fact]
    public void Only_entries_after_the_start_offset_count()
    {
        var log = Log.ReplaceLineEndings("\n");
        var afterFirstError = log.IndexOf("info: Microsoft.Hosting.Lifetime[0]", StringComparison.Ordinal);

        var errors = ServerLog.ErrorsIn(log, afterFirstError).ToList();

        Assert.Single(errors);
        Assert.StartsWith("crit:", errors[0]);
    }
}
