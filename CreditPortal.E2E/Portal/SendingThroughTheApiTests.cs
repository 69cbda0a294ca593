using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using CreditPortal.E2E.Infrastructure;
using CreditPortal.Ledger;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace CreditPortal.E2E.Portal;

/// <summary>
/// What the owner sets in the portal governs what the sending systems can do through the real HTTP API:
/// a key made on the API keys page sends; a sending limit set on the Lists page refuses.
/// </summary>
public sealed class SendingThroughTheApiTests(BrowserFixture browser, DemoAppFixture app, ITestOutputHelper output)
    : PortalPageTest(browser, app.App, output), IClassFixture<DemoAppFixture>
{
    [Fact]
    public async Task A_send_past_a_cap_set_in_the_portal_is_refused_through_the_api()
    {
        var id = await DemoAccount.IdAsync(App);
        var newsletterSent = await DemoAccount.SentThisMonthAsync(App, "Newsletter", Channel.Email);
        var promotionsSent = await DemoAccount.SentThisMonthAsync(App, "Promotions", Channel.Email);
        var promotionsCap = (await DemoAccount.CapAsync(App, "Promotions", Channel.Email))!.Value;
        Assert.True(newsletterSent > 1_000 && promotionsCap > promotionsSent + 10);
        await LoginAsOwnerAsync();

        // The demo account holds sends it cannot make; refused ones are what this test wants to see.
        await GotoAsync($"accounts/{id}/settings", "settings");
        await Page.GetByTestId("settings-hold").ClickAsync();
        await Page.GetByTestId("settings-save").ClickAsync();
        await Expect(Page.Locator(".mud-snackbar")).ToContainTextAsync("Settings saved.");

        // The demo's Newsletter sent more than 1,000 this month: a limit of 1,000 puts it past its cap.
        await GotoAsync($"accounts/{id}/lists", "lists");
        await Page.ListActionAsync("Newsletter", "edit-cap-Email");
        await Page.GetByTestId("cap-enabled").ClickAsync();
        await Page.Locator("input[name=cap-per-month]").FillAsync("1000");
        await Page.GetByTestId("cap-save").ClickAsync();
        await Expect(Page.ListRow("Newsletter").GetByTestId("cap-reached-Email")).ToBeVisibleAsync();

        await GotoAsync($"accounts/{id}/api-keys", "api-keys");
        await Page.Locator("input[name=api-key-name]").FillAsync("Newsletter engine");
        await Page.GetByTestId("create-api-key-submit").ClickAsync();
        var secret = await Page.GetByTestId("api-key-secret").InputValueAsync();
        Assert.StartsWith("cpa_", secret);
        await ScreenshotAsync("key-created");

        // The sending system: a plain HTTP client with the key, no cookies.
        using var api = SendingSystem(secret);
        var wallet = await api.GetFromJsonAsync<JsonElement>($"api/v1/accounts/{id}/wallets/Email");
        long ListId(string name) => wallet.GetProperty("lists").EnumerateArray().Single(l => l.GetProperty("name").GetString() == name).GetProperty("id").GetInt64();

        var refused = await api.PostAsJsonAsync($"api/v1/accounts/{id}/consumptions",
            new { channel = "Email", listId = ListId("Newsletter"), quantity = 1, reference = "e2e", idempotencyKey = "e2e-over-cap" });
        Assert.Equal(HttpStatusCode.Created, refused.StatusCode);
        var answer = await refused.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("Rejected", answer.GetProperty("status").GetString());
        Assert.Equal("monthly_cap", answer.GetProperty("reason").GetString());

        // The same key sends for a list with room left: only the cap refused.
        var accepted = await api.PostAsJsonAsync($"api/v1/accounts/{id}/consumptions",
            new { channel = "Email", listId = ListId("Promotions"), quantity = 10, idempotencyKey = "e2e-within-cap" });
        Assert.Equal(HttpStatusCode.Created, accepted.StatusCode);
        Assert.Equal("Accepted", (await accepted.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString());

        await GotoAsync($"accounts/{id}/get-sendings", "get-sendings-after");
        await Expect(Page.Figure("channel-Email", "refused-this-month")).ToHaveTextAsync("1");
        await GotoAsync($"accounts/{id}/lists", "lists-after");
        await Expect(Page.ListRow("Newsletter").GetByTestId("cap-Email")).ToHaveTextAsync($"{DemoAccount.Format(newsletterSent)} of 1,000 a month");
        await Expect(Page.ListRow("Promotions").GetByTestId("cap-Email"))
            .ToHaveTextAsync($"{DemoAccount.Format(promotionsSent + 10)} of {DemoAccount.Format(promotionsCap)} a month");
    }

    [Fact]
    public async Task A_key_revoked_in_the_portal_is_refused_by_the_api()
    {
        var id = await DemoAccount.IdAsync(App);
        await LoginAsOwnerAsync();
        await GotoAsync($"accounts/{id}/api-keys", "api-keys");
        await Page.Locator("input[name=api-key-name]").FillAsync("Old gateway");
        await Page.GetByTestId("create-api-key-submit").ClickAsync();
        var secret = await Page.GetByTestId("api-key-secret").InputValueAsync();
        using var api = SendingSystem(secret);
        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync($"api/v1/accounts/{id}/wallets/Sms")).StatusCode);

        var row = Page.Locator("tr.api-key-row").Filter(new() { HasText = "Old gateway" });
        await row.GetByTestId("api-key-revoke").ClickAsync();
        await Page.Locator(".mud-dialog").GetByRole(AriaRole.Button, new() { Name = "Revoke", Exact = true }).ClickAsync();
        await Expect(row.GetByTestId("api-key-status")).ToContainTextAsync("Revoked");
        await ScreenshotAsync("revoked");

        Assert.Equal(HttpStatusCode.Unauthorized, (await api.GetAsync($"api/v1/accounts/{id}/wallets/Sms")).StatusCode);
    }

    private HttpClient SendingSystem(string key)
    {
        var client = new HttpClient { BaseAddress = App.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return client;
    }
}
