using System.Net;
using System.Text.Json;
using CreditPortal.Demo;
using CreditPortal.Tests.Infrastructure;
using CreditPortal.Tests.Reports.Excel;

namespace CreditPortal.Tests.Reports;

/// <summary>
/// <c>GET /api/v1/accounts/{id}/reports/consumption</c> over real HTTP. Until the API layer with its keys is on main the
/// endpoint sits behind the portal login (see Api/Reports.cs), so these tests sign in with the demo logins.
/// </summary>
[Collection(ReportHttpCollection.Name)]
public sealed class ReportApiHttpTests(ReportHttpFixture app)
{
    private string Url(long account, string query) => $"api/v1/accounts/{account}/reports/consumption?{query}";

    [Fact]
    public async Task Json_rows_carry_period_list_channel_credits_and_messages_that_add_up_to_the_demo_sends()
    {
        using var client = await ReportDownloadHttpTests.SignedInAsync(app.Server, DemoOptions.OwnerEmail, DemoOptions.OwnerPassword);
        using var response = await client.GetAsync(Url(app.Demo, $"from={app.From}&to={app.To}&groupBy=month"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType!.MediaType);
        var rows = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.EnumerateArray().ToList();
        Assert.Equal(4, rows.Count); // Newsletter, Transactional and Promotions by email; Transactional by SMS
        Assert.All(rows, r =>
        {
            foreach (var field in new[] { "period", "listId", "listName", "channel", "credits", "messages" })
                Assert.True(r.TryGetProperty(field, out _), $"row has {field}");
            Assert.Matches(@"^\d{4}-\d{2}$", r.GetProperty("period").GetString());
        });
        // The demo: email 1,200 + 340 + 2,500; SMS 40 to Italy at 1 credit and 10 to the US at 2.
        Assert.Equal(4_100, rows.Sum(r => r.GetProperty("credits").GetInt64()));
        Assert.Equal(4_090, rows.Sum(r => r.GetProperty("messages").GetInt64()));
        var sms = rows.Single(r => r.GetProperty("channel").GetString() == "Sms");
        Assert.Equal(("Transactional", 60L, 50L), (sms.GetProperty("listName").GetString(), sms.GetProperty("credits").GetInt64(), sms.GetProperty("messages").GetInt64()));
    }

    [Fact]
    public async Task Format_xlsx_streams_the_same_workbook_as_the_portal()
    {
        using var client = await ReportDownloadHttpTests.SignedInAsync(app.Server, DemoOptions.SupportEmail, DemoOptions.SupportPassword);
        using var response = await client.GetAsync(Url(app.Demo, $"from={app.From}&to={app.To}&groupBy=week&format=xlsx"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", response.Content.Headers.ContentType!.MediaType);
        Assert.StartsWith("creditportal-demo-newsletter-co-", response.Content.Headers.ContentDisposition!.FileName?.Trim('"'));
        var book = Openpyxl.Describe(await response.Content.ReadAsByteArrayAsync());
        Assert.Equal(["Summary", "By list", "Consumptions", "Ledger"], book.Sheets.Select(s => s.Name));
    }

    [Theory]
    [InlineData("from=2026-11-01&to=2026-11-30&groupBy=year", "groupBy")]
    [InlineData("from=2026-11-01&to=2026-11-30&format=csv", "format")]
    [InlineData("to=2026-11-30", "from")]
    [InlineData("from=2026-11-30&to=2026-11-01", "to")]
    public async Task Bad_input_is_a_400_problem_naming_the_field(string query, string field)
    {
        using var client = await ReportDownloadHttpTests.SignedInAsync(app.Server, DemoOptions.OwnerEmail, DemoOptions.OwnerPassword);
        using var response = await client.GetAsync(Url(app.Demo, query));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(400, problem.GetProperty("status").GetInt32());
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), $"errors names {field}");
    }

    [Fact]
    public async Task Another_account_is_404_and_anonymous_callers_get_nothing()
    {
        using var owner = await ReportDownloadHttpTests.SignedInAsync(app.Server, DemoOptions.OwnerEmail, DemoOptions.OwnerPassword);
        Assert.Equal(HttpStatusCode.NotFound, (await owner.GetAsync(Url(app.Other, app.Range))).StatusCode);

        using var anonymous = app.Server.CreateClient();
        using var response = await anonymous.GetAsync(Url(app.Demo, app.Range));
        Assert.NotEqual(HttpStatusCode.OK, response.StatusCode);
        Assert.DoesNotContain("credits", await response.Content.ReadAsStringAsync());
    }
}
