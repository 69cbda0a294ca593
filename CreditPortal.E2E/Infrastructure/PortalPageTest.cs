using System.Text.RegularExpressions;
using CreditPortal.Demo;
using CreditPortal.Tests.Infrastructure;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace CreditPortal.E2E.Infrastructure;

/// <summary>
/// Base class of every browser test: a fresh browser context and page on the shared Chromium, pointed at
/// <see cref="App"/>; screenshots of each step; and after the test, a failure if the browser console showed
/// an error or the app logged one (fail/crit) while the test ran.
/// <code>
/// public sealed class BalanceTests(BrowserFixture browser, PortalAppFixture app, ITestOutputHelper output)
///     : PortalPageTest(browser, app.App, output), IClassFixture&lt;PortalAppFixture&gt;
/// </code>
/// </summary>
[Collection(BrowserCollection.Name)]
public abstract partial class PortalPageTest : IAsyncLifetime
{
    private readonly List<IBrowserContext> _contexts = [];
    private readonly Dictionary<PortalApp, int> _serverLogStart = [];
    private IPage? _page;

    protected PortalPageTest(BrowserFixture browser, PortalApp app, ITestOutputHelper output)
    {
        BrowserFixture = browser;
        App = app;
        Output = output;
        Artifacts = new TestArtifacts(output);
        Errors = new BrowserErrorGuard(line => Log(line));
    }

    protected BrowserFixture BrowserFixture { get; }
    protected PortalApp App { get; }
    protected ITestOutputHelper Output { get; }
    protected TestArtifacts Artifacts { get; }

    /// <summary>Browser errors seen so far; <see cref="BrowserErrorGuard.Allow"/> for one provoked on purpose.</summary>
    protected BrowserErrorGuard Errors { get; }

    /// <summary>The test's page, in a context of its own (no cookies from other tests).</summary>
    protected IPage Page => _page ?? throw new InvalidOperationException("InitializeAsync has not run.");

    public virtual async Task InitializeAsync()
    {
        var context = await NewContextAsync();
        _page = await context.NewPageAsync();
    }

    /// <summary>
    /// Another isolated browser (e.g. a second user at the same time), optionally on another app. Watched
    /// for errors and closed with the test like the first.
    /// </summary>
    protected async Task<IBrowserContext> NewContextAsync(PortalApp? app = null, bool bypassCsp = true)
    {
        app ??= App;
        _serverLogStart.TryAdd(app, app.Server.Output.Length);
        var context = await BrowserFixture.NewContextAsync(app, bypassCsp);
        Errors.Watch(context);
        _contexts.Add(context);
        return context;
    }

    /// <summary>Saves a full-page screenshot as the next numbered step of this test.</summary>
    protected async Task ScreenshotAsync(string step, IPage? page = null)
    {
        var path = await Artifacts.ScreenshotAsync(page ?? Page, step);
        Log($"screenshot {Path.GetRelativePath(RepoPaths.Root, path)}");
    }

    /// <summary>Opens <paramref name="path"/> (relative to the app), waits until it is live, screenshots it.</summary>
    protected async Task<IResponse?> GotoAsync(string path, string? step = null, IPage? page = null)
    {
        page ??= Page;
        var response = await page.GotoAsync(path);
        await PortalPages.WaitForBlazorAsync(page);
        await ScreenshotAsync(step ?? StepName(path), page);
        return response;
    }

    /// <summary>
    /// Fails on any serious or critical WCAG violation axe-core finds on the page as it is now (issue #10: every
    /// page has none). Call it after the page (and any dialog or menu to check) is open.
    /// </summary>
    protected async Task AssertAccessibleAsync(string? step = null, IPage? page = null)
    {
        var report = await Accessibility.CheckAsync(page ?? Page);
        Log($"axe {step ?? (page ?? Page).Url}: {report.Summary}");
        report.ThrowIfSerious(step ?? (page ?? Page).Url);
    }

    /// <summary>Switches the page to a 390×844 phone screen (the smallest the portal must work on) and checks
    /// that nothing sticks out sideways.</summary>
    protected async Task UsePhoneAsync(IPage? page = null) => await PortalPages.UsePhoneViewportAsync(page ?? Page);

    /// <summary>Logs in through the form (screenshot of the filled form and of the page it lands on).</summary>
    protected async Task LoginAsync(IPage page, string email, string password)
    {
        if (!PortalPages.LoginUrl().IsMatch(page.Url)) await GotoAsync(PortalPages.LoginPath, "login", page);
        await PortalPages.LoginAsync(page, email, password);
        await ScreenshotAsync("after-login", page);
    }

    protected Task LoginAsync(string email, string password) => LoginAsync(Page, email, password);
    protected Task LoginAsOwnerAsync(IPage? page = null) => LoginAsync(page ?? Page, DemoOptions.OwnerEmail, DemoOptions.OwnerPassword);
    protected Task LoginAsSupportAsync(IPage? page = null) => LoginAsync(page ?? Page, DemoOptions.SupportEmail, DemoOptions.SupportPassword);

    public virtual async Task DisposeAsync()
    {
        // The last state of every open page: on a failed test this is usually the picture that explains it.
        foreach (var page in _contexts.SelectMany(c => c.Pages).Where(p => !p.IsClosed).ToList())
        {
            try { await ScreenshotAsync("end", page); }
            catch (PlaywrightException e) { Log("no end screenshot: " + e.Message); }
        }
        // Closing first: errors raised while the test's last step settled are delivered before the check.
        foreach (var context in _contexts) await context.CloseAsync();

        var failures = Errors.Unexpected.Select(e => "browser: " + e)
            .Concat(_serverLogStart.SelectMany(s => ServerLog.ErrorsIn(s.Key.Server.Output, s.Value)).Where(e => !IsMudBlazorLateInterop(e))
                .Select(e => "app log: " + e))
            .ToList();
        if (failures.Count > 0)
            throw new Xunit.Sdk.XunitException($"{failures.Count} error(s) reported while the test ran:\n" + string.Join("\n", failures));
    }

    /// <summary>
    /// MudBlazor 9.12's charts call JavaScript in <c>OnAfterRenderAsync</c> without catching
    /// <see cref="Microsoft.JSInterop.JSDisconnectedException"/>: when the browser leaves a page with a chart while it is
    /// still rendering (a full page load, as a refused page is), the circuit logs that render as an unhandled error
    /// though the page is gone and nothing was lost. Only that entry is let through: JSDisconnectedException raised
    /// inside MudBlazor's own code.
    /// </summary>
    private static bool IsMudBlazorLateInterop(string entry) =>
        entry.Contains("Microsoft.JSInterop.JSDisconnectedException", StringComparison.Ordinal)
        && entry.Contains("at MudBlazor.", StringComparison.Ordinal);

    private void Log(string line)
    {
        // The output helper throws once the test is over; late console lines are not worth failing for.
        try { Output.WriteLine(line); } catch (InvalidOperationException) { }
    }

    private static string StepName(string path)
    {
        var name = PathChars().Replace(path.Split('?')[0], "-").Trim('-');
        return name.Length == 0 ? "home" : name;
    }

    [GeneratedRegex(@"[^A-Za-z0-9]+")]
    private static partial Regex PathChars();
}
