using System.Text.RegularExpressions;
using CreditPortal.E2E.Infrastructure;
using Xunit.Abstractions;

namespace CreditPortal.E2E.Foundation;

/// <summary>
/// The harness's own safety nets can fail: a console error or an uncaught exception is caught by the guard,
/// and the screenshot lands where the README says. (Pages here are inline HTML, not the app.)
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class BrowserHarnessTests(BrowserFixture browser, ITestOutputHelper output)
{
    [Fact]
    public async Task Console_errors_and_uncaught_exceptions_are_caught()
    {
        await using var context = await browser.Browser.NewContextAsync();
        var guard = new BrowserErrorGuard(output.WriteLine);
        guard.Watch(context);
        var page = await context.NewPageAsync();

        // Both scripts run while the page parses, so their events reach us before SetContentAsync (which waits
        // for the load event) returns: no sleeping.
        await page.SetContentAsync("""
            <script>console.error('boom from console'); console.warn('only a warning');</script>
            <script>throw new Error('boom uncaught');</script>
            """);
        await context.CloseAsync();

        Assert.Collection(guard.Errors,
            e => Assert.Contains("boom from console", e),
            e => Assert.Contains("boom uncaught", e));
        var failure = Assert.Throws<Xunit.Sdk.XunitException>(() => guard.AssertNone("in the harness test"));
        Assert.Contains("2 error(s)", failure.Message);

        guard.Allow(new Regex("boom"), "provoked by this test");
        guard.AssertNone("after allowing them");
    }

    [Fact]
    public async Task Screenshots_are_saved_per_test_and_step_under_artifacts()
    {
        await using var context = await browser.Browser.NewContextAsync();
        var page = await context.NewPageAsync();
        await page.SetContentAsync("<h1>hello</h1>");
        var artifacts = new TestArtifacts(output);

        var first = await artifacts.ScreenshotAsync(page, "first step");
        var second = await artifacts.ScreenshotAsync(page, "second");

        Assert.Equal(Path.Combine(CreditPortal.Tests.Infrastructure.RepoPaths.Root, "artifacts", "screenshots",
            "BrowserHarnessTests.Screenshots_are_saved_per_test_and_step_under_artifacts", "01-first_step.png"), first);
        Assert.EndsWith("02-second.png", second);
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], File.ReadAllBytes(first)[..4]);
    }
}
