using System.Net;
using System.Text.Json.Nodes;
using CreditPortal.Tests.Api;
using CreditPortal.Tests.Reports.Excel;

namespace CreditPortal.Tests.Reports;

/// <summary>
/// <c>GET /api/v1/accounts/{id}/reports/consumption</c> through the real API (keys, account scope, problem+json), on an
/// account built through the API itself with the manual clock at 10 November 2026, 10:00 in Rome.
/// </summary>
public sealed class ReportApiHttpTests(ApiTestApp app) : IClassFixture<ApiTestApp>, IAsyncLifetime
{
    private long _account;
    private long _other;
    private string _key = "";
    private string _otherKey = "";

    public async Task InitializeAsync()
    {
        using var support = app.Support();
        _account = await support.CreateAccountAsync("Report Co", ""","timeZone":"Europe/Rome" """);
        _other = await support.CreateAccountAsync("Other Co");
        _key = await support.CreateKeyAsync(_account);
        _otherKey = await support.CreateKeyAsync(_other);
        await support.GrantAsync(_account, 10_000);
        await support.GrantAsync(_account, 1_000, "Sms");
        using var client = app.As(_key);
        var news = await client.CreateListAsync(_account, "Newsletter");
        var formula = await client.CreateListAsync(_account, "=cmd()");
        foreach (var (list, quantity, channel, country) in new[]
                 {
                     (news, 1_200L, "Email", (string?)null), (formula, 300L, "Email", null), (news, 10L, "Sms", "US"), (news, 100_000L, "Email", null),
                 })
        {
            await client.PostJsonAsync($"api/v1/accounts/{_account}/consumptions",
                Api.Api.Consumption(list, quantity, Guid.NewGuid().ToString("N"), channel, country));
        }
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private string Url(long account, string query) => $"api/v1/accounts/{account}/reports/consumption?{query}";

    [Fact]
    public async Task An_account_key_gets_rows_per_iso_week_list_and_channel_that_add_up_to_its_ledger()
    {
        using var client = app.As(_key);
        var rows = (await client.GetJsonAsync(Url(_account, "from=2026-11-01&to=2026-11-30&groupBy=week"))).AsArray();

        Assert.Equal(3, rows.Count); // Newsletter by email and SMS, =cmd() by email
        Assert.All(rows, r =>
        {
            Assert.Equal("2026-W46", (string?)r!["period"]);           // Monday 9 – Sunday 15 November
            Assert.Equal(("2026-11-09", "2026-11-15"), ((string?)r["from"], (string?)r["to"]));
        });
        var sms = rows.Single(r => (string?)r!["channel"] == "Sms")!;
        Assert.Equal(("Newsletter", 20L, 10L), ((string?)sms["listName"], (long)sms["credits"]!, (long)sms["messages"]!)); // 2 credits per SMS to the US
        var newsletter = rows.Single(r => (string?)r!["channel"] == "Email" && (string?)r["listName"] == "Newsletter")!;
        Assert.Equal((1_200L, 1L, 1L, 100_000L),
            ((long)newsletter["credits"]!, (long)newsletter["accepted"]!, (long)newsletter["rejected"]!, (long)newsletter["rejectedMessages"]!));

        var ledger = await client.GetItemsAsync($"api/v1/accounts/{_account}/ledger");
        var drawn = -ledger.Where(e => (string?)e!["kind"] == "Consumption").Sum(e => (long)e!["quantity"]!);
        Assert.Equal(drawn, rows.Sum(r => (long)r!["credits"]!));
        Assert.Equal(1_520, drawn);
    }

    [Fact]
    public async Task Month_is_the_default_grouping_and_a_range_without_sends_is_an_empty_list()
    {
        using var client = app.As(_key);
        var rows = (await client.GetJsonAsync(Url(_account, "from=2026-11-01&to=2026-11-30"))).AsArray();
        Assert.All(rows, r => Assert.Equal("2026-11", (string?)r!["period"]));
        Assert.Empty((await client.GetJsonAsync(Url(_account, "from=2026-10-01&to=2026-10-31&groupBy=day"))).AsArray());
    }

    [Fact]
    public async Task Format_xlsx_streams_the_portals_workbook_with_names_kept_as_text()
    {
        using var support = app.Support();
        using var response = await support.GetAsync(Url(_account, "from=2026-11-01&to=2026-11-30&groupBy=day&format=xlsx"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal("creditportal-report-co-2026-11-01_2026-11-30.xlsx", response.Content.Headers.ContentDisposition!.FileName?.Trim('"'));
        var book = Openpyxl.Describe(await response.Content.ReadAsByteArrayAsync());
        Assert.Equal(["Summary", "By list", "Consumptions", "Ledger"], book.Sheets.Select(s => s.Name));
        Assert.Equal(4 + 1, book["Consumptions"].MaxRow);
        var formula = book["By list"].Rows.Skip(1).Select(r => r[3]).Single(c => c.Text == "=cmd()");
        Assert.Equal("s", formula.DataType);
        Assert.All(book.FormulaElements.Values, count => Assert.Equal(0, count));
    }

    [Fact]
    public async Task Format_csv_streams_the_consumption_rows()
    {
        using var client = app.As(_key);
        using var response = await client.GetAsync(Url(_account, "from=2026-11-01&to=2026-11-30&format=CSV"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(("text/csv", "utf-8"), (response.Content.Headers.ContentType!.MediaType, response.Content.Headers.ContentType.CharSet));
        Assert.Equal("creditportal-report-co-2026-11-01_2026-11-30.csv", response.Content.Headers.ContentDisposition!.FileName?.Trim('"'));
        using var csv = CsvHelper.CsvReader.Create(await response.Content.ReadAsByteArrayAsync());
        var lines = new List<(string List, string Channel, long Drawn, string Status)>();
        while (csv.Read()) lines.Add((csv.GetString("listName"), csv.GetString("channel"), csv.Parse<long>("creditsDrawn"), csv.GetString("status")));

        Assert.Equal(4, lines.Count);
        Assert.Equal(1_520, lines.Sum(l => l.Drawn));
        Assert.Contains(("'=cmd()", "Email", 300L, "Accepted"), lines);
        Assert.Contains(("Newsletter", "Email", 0L, "Rejected"), lines);
    }

    [Theory]
    [InlineData("from=2026-11-01&to=2026-11-30&groupBy=year", "groupBy")]
    [InlineData("from=2026-11-01&to=2026-11-30&format=pdf", "format")]
    [InlineData("to=2026-11-30", "from")]
    [InlineData("from=2026-11-01&to=30.11.2026", "to")]
    [InlineData("from=2026-11-30&to=2026-11-01", "to")]
    public async Task Bad_input_is_a_400_problem_naming_the_field(string query, string field)
    {
        using var client = app.As(_key);
        var problem = await client.GetJsonAsync(Url(_account, query), HttpStatusCode.BadRequest);
        Api.Api.AssertProblem(problem, 400, field);
    }

    [Fact]
    public async Task The_openapi_document_describes_the_report()
    {
        using var anonymous = app.Anonymous();
        var doc = await anonymous.GetJsonAsync("openapi/v1.json");
        var get = doc["paths"]!["/api/v1/accounts/{accountId}/reports/consumption"]!["get"]!;
        var ok = get["responses"]!["200"]!["content"]!.AsObject();
        Assert.True(ok.ContainsKey("application/json"));
        Assert.True(ok.ContainsKey("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"));
        Assert.True(ok.ContainsKey("text/csv"));
        var parameters = get["parameters"]!.AsArray().Select(p => ((string?)p!["name"], (string?)p["in"])).ToList();
        foreach (var name in new[] { "from", "to", "groupBy", "format" }) Assert.Contains((name, "query"), parameters);
        Assert.NotNull(get["responses"]!["200"]!["content"]!["application/json"]);
    }

    [Fact]
    public async Task Another_accounts_key_gets_404_and_no_key_gets_401()
    {
        using var other = app.As(_otherKey);
        Api.Api.AssertProblem(await other.GetJsonAsync(Url(_account, "from=2026-11-01&to=2026-11-30"), HttpStatusCode.NotFound), 404);
        Api.Api.AssertProblem(await other.GetJsonAsync(Url(_account, "from=2026-11-01&to=2026-11-30&format=xlsx"), HttpStatusCode.NotFound), 404);
        Api.Api.AssertProblem(await other.GetJsonAsync(Url(_account, "from=2026-11-01&to=2026-11-30&format=csv"), HttpStatusCode.NotFound), 404);

        using var anonymous = app.Anonymous();
        Api.Api.AssertProblem(await anonymous.GetJsonAsync(Url(_account, "from=2026-11-01&to=2026-11-30"), HttpStatusCode.Unauthorized), 401);
    }
}
