using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using CreditPortal.E2E.Infrastructure;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace CreditPortal.E2E.Portal;

/// <summary>The demo app with a support key, so a test can grant credits the way support's scripts do.</summary>
public sealed class DemoAppWithSupportKeyFixture : PortalAppFixture
{
    /// <summary>Random per run (a configured key must have at least 32 characters).</summary>
    public static readonly string SupportKey = "e2e-support-" + Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16));

    protected override PortalAppOptions Options => new()
    {
        ManualClockStart = DemoAccount.Now,
        Settings = new Dictionary<string, string> { ["Bootstrap:SupportApiKey"] = SupportKey },
    };
}

/// <summary>
/// Issue #17's expiry reminder as the owner meets it: credits granted with an end date inside the reminders' reach
/// (30 days) are announced on the Balance page with the date in the account's zone and what the current rate will use.
/// </summary>
public sealed class ExpiryReminderBrowserTests(BrowserFixture browser, DemoAppWithSupportKeyFixture app, ITestOutputHelper output)
    : PortalPageTest(browser, app.App, output), IClassFixture<DemoAppWithSupportKeyFixture>
{
    [Fact]
    public async Task Credits_that_expire_within_30_days_are_announced_on_the_Balance_page()
    {
        var id = await DemoAccount.IdAsync(App);
        // Midnight of 11 December in Rome (UTC+1): 21 days after the demo's "now", inside the 30-day reminder.
        var expiresAt = new DateTimeOffset(2026, 12, 10, 23, 0, 0, TimeSpan.Zero);
        using (var support = new HttpClient { BaseAddress = App.BaseAddress, Timeout = TimeSpan.FromSeconds(30) })
        {
            support.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", DemoAppWithSupportKeyFixture.SupportKey);
            var granted = await support.PostAsJsonAsync($"api/v1/accounts/{id}/adjustments",
                new { channel = "Sms", quantity = 2_750, expiresAt, reason = "Goodwill for the December campaign", idempotencyKey = "e2e-reminder" });
            Assert.Equal(HttpStatusCode.Created, granted.StatusCode);
        }

        await LoginAsOwnerAsync();
        await GotoAsync($"accounts/{id}/balance", "balance");
        var reminder = Page.GetByTestId("wallet-Sms").GetByTestId("expiring-soon").Filter(new() { HasText = "expire on 11 Dec 2026" });
        await Expect(reminder).ToHaveCountAsync(1);
        await Expect(reminder).ToContainTextAsync("SMS credits expire on 11 Dec 2026; at your current rate you will use");
        await Artifacts.ScreenshotAsync(Page.GetByTestId("wallet-Sms"), "expiry-reminder");
        await AssertAccessibleAsync("balance with a reminder");
    }
}
