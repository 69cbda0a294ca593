using Microsoft.Playwright;

namespace CreditPortal.E2E.Infrastructure;

/// <summary>
/// One Playwright driver and one Chromium for the whole test run (a browser start costs ~1 s and a lot of
/// memory on a shared 2-core machine); every test gets its own <see cref="IBrowserContext"/>, so cookies,
/// storage and console listeners never leak between tests.
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    /// <summary>Debian's Chromium (./test.sh installs it). Playwright's own browser download is never used.</summary>
    public const string ChromiumPath = "/usr/bin/chromium";

    /// <summary>
    /// --no-sandbox: containers/root have no user namespaces for the sandbox. --disable-dev-shm-usage: /dev/shm
    /// is tiny in containers. The background-networking flags stop Chromium from calling Google services:
    /// this closed network refuses those connections and Chromium then refuses ours too (TOOLCHAIN.md).
    /// </summary>
    public static readonly IReadOnlyList<string> ChromiumArgs =
    [
        "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
    ];

    private IPlaywright? _playwright;
    private IBrowser? _browser;

    public IBrowser Browser => _browser ?? throw new InvalidOperationException("The browser is not started yet.");

    public async Task InitializeAsync()
    {
        if (!File.Exists(ChromiumPath))
            throw new InvalidOperationException($"{ChromiumPath} is missing: run ./test.sh (it installs Debian's chromium) or `apt-get install chromium`.");
        // The first Blazor circuit on a cold, shared machine takes seconds (JIT, SQLite); Playwright's 5 s
        // default for Expect would make the tests flaky, not stricter.
        Assertions.SetDefaultExpectTimeout(15_000);
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ChromiumArgs,
        });
    }

    /// <summary>
    /// A fresh context pointed at <paramref name="app"/>: relative URLs in GotoAsync resolve against it.
    /// <paramref name="bypassCsp"/>: axe-core (<see cref="Accessibility"/>) is injected as a script the app's CSP
    /// rightly refuses, so test contexts ignore the CSP; <c>ContentSecurityPolicyBrowserTests</c> keeps one that
    /// enforces it, so the pages themselves are still held to it.
    /// </summary>
    public async Task<IBrowserContext> NewContextAsync(PortalApp app, bool bypassCsp = true)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = app.BaseAddress.ToString(),
            ViewportSize = new ViewportSize { Width = 1280, Height = 800 },
            // Fixed so screenshots and any browser-side formatting do not depend on the machine.
            Locale = "en-US",
            TimezoneId = "Europe/Rome",
            BypassCSP = bypassCsp,
        });
        context.SetDefaultTimeout(30_000);
        return context;
    }

    public async Task DisposeAsync()
    {
        if (_browser is not null) await _browser.DisposeAsync();
        _playwright?.Dispose();
    }
}

/// <summary>
/// All browser tests share one collection: xunit gives a collection fixture one instance for the run, and
/// the tests inside a collection run one after another, which is what two shared cores can take.
/// </summary>
[CollectionDefinition(Name)]
public sealed class BrowserCollection : ICollectionFixture<BrowserFixture>
{
    public const string Name = "Browser";
}
