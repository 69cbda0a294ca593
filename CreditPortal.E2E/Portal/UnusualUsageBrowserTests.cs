using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using CreditPortal.E2E.Infrastructure;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace CreditPortal.E2E.Portal;

/// <summary>
/// Issue #17's unusual-usage alert as the owner meets it: a leaked key sends ten times the demo newsletter's usual
/// Tuesday hour through the real API; once the hour has ended the Alerts page names the key, and "Revoke key…" (after
/// its confirmation) stops it: its next request is 401. The page stays accessible with the alert and its dialog, and
/// fits a phone.
/// </summary>
public sealed class UnusualUsageBrowserTests(BrowserFixture browser, DemoAppWithSupportKeyFixture app, ITestOutputHelper output)
    : PortalPageTest(browser, app.App, output), IClassFixture<DemoAppWithSupportKeyFixture>
{
    /// <summary>Tuesday 24 Nov 2026, 10:15 in Rome: the newsletter's hour, four days after the demo's "now".</summary>
    private static readonly DateTimeOffset BurstAt = new(2026, 11, 24, 9, 15, 0, TimeSpan.Zero);

    [Fact]
    public async Task A_leaked_key_is_named_on_the_Alerts_page_and_revoked_from_it()
    {
        var id = await DemoAccount.IdAsync(App);
        using var support = Client(DemoAppWithSupportKeyFixture.SupportKey);
        var created = await support.PostAsJsonAsync($"api/v1/accounts/{id}/api-keys", new { name = "Leaked integration" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var secret = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("key").GetString()!;
        Assert.Equal(HttpStatusCode.Created, (await support.PostAsJsonAsync($"api/v1/accounts/{id}/adjustments",
            new { channel = "Email", quantity = 60_000, reason = "Room for the e2e burst", idempotencyKey = "e2e-burst-room" })).StatusCode);
        await MoveClockAsync(support, BurstAt);

        using var leaked = Client(secret);
        var wallet = await leaked.GetFromJsonAsync<JsonElement>($"api/v1/accounts/{id}/wallets/Email");
        var newsletter = wallet.GetProperty("lists").EnumerateArray().Single(l => l.GetProperty("name").GetString() == "Newsletter").GetProperty("id").GetInt64();
        var sent = await leaked.PostAsJsonAsync($"api/v1/accounts/{id}/consumptions",
            new { channel = "Email", listId = newsletter, quantity = 50_000, idempotencyKey = "e2e-leaked-burst" });
        Assert.Equal("Accepted", (await sent.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString());
        await MoveClockAsync(support, BurstAt.AddMinutes(50)); // 11:05 in Rome: the hour has ended and was checked

        await LoginAsOwnerAsync();
        await GotoAsync($"accounts/{id}/alerts", "alerts");
        var row = Page.Locator("tr.alert-row").Filter(new() { HasText = "Unusual usage" });
        await Expect(row).ToHaveCountAsync(1);
        await Expect(row.GetByTestId("alert-detail")).ToContainTextAsync("50,000 credits on 24 Nov 2026, 10:00–11:00");
        await Expect(row.GetByTestId("alert-detail")).ToContainTextAsync("Lists: Newsletter 50,000. API keys: Leaked integration 50,000.");
        var revoke = row.GetByRole(AriaRole.Button, new() { Name = "Revoke key Leaked integration…" });
        await Expect(revoke).ToBeEnabledAsync();
        await Artifacts.ScreenshotAsync(row, "unusual-usage-alert"); // docs/screenshots/unusual-usage-alert.png
        await AssertAccessibleAsync("alerts with an unusual-usage alert");

        await UsePhoneAsync();
        await Expect(row).ToBeVisibleAsync();
        await PortalPages.AssertFitsTheScreenAsync(Page);
        await AssertAccessibleAsync("alerts on a phone");

        await revoke.ClickAsync();
        var dialog = Page.Locator(".mud-dialog");
        await Expect(dialog).ToContainTextAsync("Revoke the key \"Leaked integration\"");
        await Expect(dialog).ToContainTextAsync("which sent 50,000 credits in that hour");
        await AssertAccessibleAsync("revoke dialog");
        Assert.Equal(HttpStatusCode.OK, (await leaked.GetAsync($"api/v1/accounts/{id}/wallets/Email")).StatusCode); // not before the answer
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Revoke", Exact = true }).ClickAsync();

        await Expect(row.GetByTestId("alert-key-revoked")).ToContainTextAsync("Leaked integration");
        await ScreenshotAsync("unusual-usage-key-revoked");
        Assert.Equal(HttpStatusCode.Unauthorized, (await leaked.GetAsync($"api/v1/accounts/{id}/wallets/Email")).StatusCode);
        var refused = await leaked.PostAsJsonAsync($"api/v1/accounts/{id}/consumptions",
            new { channel = "Email", listId = newsletter, quantity = 1, idempotencyKey = "e2e-after-revoke" });
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
    }

    private static async Task MoveClockAsync(HttpClient support, DateTimeOffset now)
        => Assert.Equal(HttpStatusCode.OK, (await support.PutAsJsonAsync("api/v1/clock", new { now })).StatusCode);

    private HttpClient Client(string key)
    {
        var client = new HttpClient { BaseAddress = App.BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return client;
    }
}
