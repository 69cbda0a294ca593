using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using CreditPortal.E2E.Infrastructure;
using CreditPortal.Ledger;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace CreditPortal.E2E.Portal;

/// <summary>
/// Issue #17's holds as the owner meets them: a hold placed through the API for next Friday's campaign shows on the Balance
/// page's Email card as "Held" (apart from the total) with the hold listed, and Release… (behind a confirmation) gives its
/// credits back.
/// </summary>
public sealed class HoldBrowserTests(BrowserFixture browser, DemoAppWithSupportKeyFixture app, ITestOutputHelper output)
    : PortalPageTest(browser, app.App, output), IClassFixture<DemoAppWithSupportKeyFixture>
{
    [Fact]
    public async Task A_hold_shows_on_the_Balance_page_and_Release_gives_its_credits_back()
    {
        var id = await DemoAccount.IdAsync(App);
        long listId;
        await using (var db = App.Database.CreateContext())
            listId = (await db.Lists.SingleAsync(l => l.AccountId == id && l.Name == "Newsletter")).Id;
        var (totalBefore, _) = await DemoAccount.WalletAsync(App, Channel.Email);
        using (var support = new HttpClient { BaseAddress = App.BaseAddress, Timeout = TimeSpan.FromSeconds(30) })
        {
            support.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", DemoAppWithSupportKeyFixture.SupportKey);
            var placed = await support.PostAsJsonAsync($"api/v1/accounts/{id}/holds", new
            {
                channel = "Email", listId, quantity = 2_500, expiresAt = DemoAccount.Now.AddDays(7), reference = "Black Friday campaign",
                idempotencyKey = "e2e-hold",
            });
            Assert.True(placed.StatusCode == HttpStatusCode.Created, await placed.Content.ReadAsStringAsync());
        }

        await LoginAsOwnerAsync();
        await GotoAsync($"accounts/{id}/balance", "balance");
        var email = Page.GetByTestId("wallet-Email");
        await Expect(email.GetByTestId("held")).ToContainTextAsync("2,500");
        await Expect(email.GetByTestId("total")).ToContainTextAsync((totalBefore - 2_500).ToString("N0", System.Globalization.CultureInfo.GetCultureInfo("en-US")));
        var row = email.GetByTestId("holds").Locator(".hold-row");
        await Expect(row).ToHaveCountAsync(1);
        await Expect(row).ToContainTextAsync("Newsletter");
        await Expect(row).ToContainTextAsync("Black Friday campaign");
        await Expect(email.GetByTestId("forecast-held")).ToContainTextAsync("the 2,500 held are planned sends");
        // Tall enough for the whole card, so the fixed app bar is not painted over its top.
        await Page.SetViewportSizeAsync(1100, 1500);
        await Artifacts.ScreenshotAsync(email, "hold");
        await AssertAccessibleAsync("balance with a hold");
        await UsePhoneAsync();

        await row.GetByRole(AriaRole.Button, new() { NameRegex = new System.Text.RegularExpressions.Regex("^Release… hold #") }).ClickAsync();
        var dialog = Page.Locator(".mud-dialog");
        await Expect(dialog).ToContainTextAsync("Release hold #");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Release the hold", Exact = true }).ClickAsync();

        await Expect(email.GetByTestId("holds")).ToHaveCountAsync(0);
        await Expect(email.GetByTestId("held")).ToContainTextAsync("0");
        Assert.Equal(totalBefore, (await DemoAccount.WalletAsync(App, Channel.Email)).Total);
        await using (var db = App.Database.CreateContext())
        {
            var hold = await db.Holds.SingleAsync(h => h.AccountId == id && h.IdempotencyKey == "e2e-hold");
            Assert.Equal(HoldStatus.Voided, hold.Status);
            Assert.StartsWith("owner:", hold.EndedBy);
        }
    }
}
