using System.IO.Compression;
using System.Text.RegularExpressions;
using CreditPortal.E2E.Infrastructure;
using CreditPortal.E2E.Portal;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace CreditPortal.E2E.Reports;

/// <summary>The demo account's history, seeded up to a fixed instant so the month-to-date report is predictable.</summary>
public sealed class ReportsAppFixture : DemoAppFixture;

/// <summary>The Reports page in a real browser: the report, the drill-down, and the Excel download with its progress.</summary>
public sealed partial class ReportsBrowserTests(BrowserFixture browser, ReportsAppFixture app, ITestOutputHelper output)
    : PortalPageTest(browser, app.App, output), IClassFixture<ReportsAppFixture>
{
    private async Task OpenReportsAsync()
    {
        // The demo's credits spent on both channels from 1 November to the fixture's 20 November.
        var credits = await DemoAccount.CreditsThisMonthAsync(App);
        Assert.True(credits > 0);
        await LoginAsOwnerAsync();
        await Page.Navigation().GetByText("Reports", new() { Exact = true }).ClickAsync();
        await Expect(Page).ToHaveURLAsync(ReportsUrl());
        await PortalPages.WaitForCircuitAsync(Page);
        await Expect(Page.Figure("report-totals", "report-total-credits")).ToHaveTextAsync(DemoAccount.Format(credits));
        await ScreenshotAsync("reports");
    }

    [Fact]
    public async Task Owner_sees_this_months_spending_and_drills_into_a_list()
    {
        var promotions = await DemoAccount.ReferencesThisMonthAsync(App, "Promotions");
        Assert.NotEmpty(promotions);
        await OpenReportsAsync();
        await Expect(Page.GetByTestId("report-chart").Locator("svg").First).ToBeVisibleAsync();

        await Page.GetByRole(AriaRole.Tab, new() { Name = "By list" }).ClickAsync();
        var promotionsRow = Page.GetByTestId("report-list-totals").Locator("tbody tr", new() { HasTextString = "Promotions" });
        await promotionsRow.GetByTestId("drill-list").ClickAsync();

        await Expect(Page.GetByTestId("consumptions-title")).ToContainTextAsync("Promotions");
        await Expect(Page.GetByTestId("consumptions-grid").Locator("tbody tr")).ToHaveCountAsync(promotions.Count);
        await Expect(Page.GetByTestId("consumptions-grid")).ToContainTextAsync(promotions[0]!);
        await ScreenshotAsync("drill-down");
    }

    [Fact]
    public async Task The_excel_download_streams_a_workbook_and_the_page_reports_it_finished()
    {
        await OpenReportsAsync();
        var link = Page.GetByTestId("report-export");
        await Expect(link).ToHaveAttributeAsync("href", ExportHref());

        var download = await Page.RunAndWaitForDownloadAsync(() => link.ClickAsync());

        Assert.Equal("creditportal-demo-newsletter-co-2026-11-01_2026-11-20.xlsx", download.SuggestedFilename);
        Assert.Null(await download.FailureAsync());
        var path = Path.Combine(Path.GetTempPath(), $"e2e-report-{Guid.NewGuid():N}.xlsx");
        try
        {
            await download.SaveAsAsync(path);
            using var zip = ZipFile.OpenRead(path);
            Assert.Contains(zip.Entries, e => e.FullName == "xl/workbook.xml");
            Assert.Equal(4, zip.Entries.Count(e => e.FullName.StartsWith("xl/worksheets/", StringComparison.Ordinal)));
        }
        finally
        {
            File.Delete(path);
        }
        // The download told the page how it went, through the circuit.
        await Expect(Page.GetByTestId("report-export-result")).ToHaveTextAsync(new Regex(@"^Exported \d+ rows\.$"));
        await Expect(link).ToHaveAttributeAsync("href", ExportHref()); // a fresh link for the next download
        await ScreenshotAsync("exported");
    }

    [GeneratedRegex(@"/accounts/\d+/reports$")]
    private static partial Regex ReportsUrl();

    [GeneratedRegex(@"^accounts/\d+/reports/export\.xlsx\?from=2026-11-01&to=2026-11-20&groupBy=day&job=[0-9a-f]{32}$")]
    private static partial Regex ExportHref();
}
