using System.Net;
using CreditPortal.Clock;
using CreditPortal.Demo;
using CreditPortal.Ledger;
using CreditPortal.Tests.Infrastructure;
using CreditPortal.Tests.Reports.Excel;
using Microsoft.EntityFrameworkCore;

namespace CreditPortal.Tests.Reports;

/// <summary>
/// The real app in its own process with the demo seed and a second account, shared by the tests of a class: they
/// only read. The demo sends happen at the real time, so the range is a few days around today in the account's zone.
/// </summary>
public sealed class ReportHttpFixture : IAsyncLifetime
{
    private TempDatabase _database = default!;

    public PortalServer Server { get; private set; } = default!;
    public long Demo { get; private set; }
    public long Other { get; private set; }
    public string From { get; private set; } = "";
    public string To { get; private set; } = "";
    public string Range => $"from={From}&to={To}&groupBy=day";
    /// <summary>The demo account's consumptions in <see cref="Range"/>, counted in the database.</summary>
    public int SendsInRange { get; private set; }

    public async Task InitializeAsync()
    {
        _database = new TempDatabase("report-http").Migrate();
        await using (var db = _database.CreateContext())
        {
            var other = new Account { Name = "Other Co", CreatedAt = TimeProvider.System.GetUtcNow() };
            db.Accounts.Add(other);
            await db.SaveChangesAsync();
            Other = other.Id;
        }
        Server = await PortalServer.StartAsync(_database.ConnectionString, new Dictionary<string, string> { ["Demo:Seed"] = "true" });
        await using (var db = _database.CreateContext())
            Demo = (await db.Accounts.SingleAsync(a => a.Name == DemoOptions.AccountName)).Id;
        var calendar = new AccountCalendar("Europe/Rome");
        var today = calendar.LocalDate(TimeProvider.System.GetUtcNow());
        From = today.AddDays(-3).ToString("yyyy-MM-dd");
        To = today.AddDays(1).ToString("yyyy-MM-dd");
        // The demo's history is dated back from the moment it was seeded, so how many of its sends fall in these local
        // days depends on the time of day (a CI run at 16:48 UTC found six, earlier runs five): count them in the
        // database, independently of the export, instead of assuming a number.
        await using (var db = _database.CreateContext())
        {
            var (first, last) = (today.AddDays(-3), today.AddDays(1));
            var sent = await db.Consumptions.Where(c => c.AccountId == Demo).Select(c => c.RequestedAt).ToListAsync();
            SendsInRange = sent.Count(at => calendar.LocalDate(at) >= first && calendar.LocalDate(at) <= last);
        }
    }

    public async Task DisposeAsync()
    {
        await Server.DisposeAsync();
        _database.Dispose();
    }
}

[CollectionDefinition(Name)]
public sealed class ReportHttpCollection : ICollectionFixture<ReportHttpFixture>
{
    public const string Name = "report-http";
}

/// <summary>The download over real HTTP from the real app: the login cookie and the portal's account rule decide who gets a file.</summary>
[Collection(ReportHttpCollection.Name)]
public sealed class ReportDownloadHttpTests(ReportHttpFixture app)
{
    private readonly PortalServer _server = app.Server;
    private readonly long _demo = app.Demo;
    private readonly long _other = app.Other;
    private readonly string _range = app.Range;
    private readonly string _from = app.From;
    private readonly string _to = app.To;

    internal static async Task<HttpClient> SignedInAsync(PortalServer server, string email, string password)
    {
        var client = server.CreateClient();
        var login = await PortalLogin.PostLoginAsync(client, email, password);
        Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);
        return client;
    }

    [Fact]
    public async Task The_owner_downloads_their_workbook_streamed_with_a_file_name_for_account_and_range()
    {
        using var client = await SignedInAsync(_server, DemoOptions.OwnerEmail, DemoOptions.OwnerPassword);
        using var response = await client.GetAsync($"accounts/{_demo}/reports/export.xlsx?{_range}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal($"creditportal-demo-newsletter-co-{_from}_{_to}.xlsx", response.Content.Headers.ContentDisposition!.FileName?.Trim('"'));
        Assert.True(response.Headers.TransferEncodingChunked, "streamed as it is written, not buffered to learn its length");
        var book = Openpyxl.Describe(await response.Content.ReadAsByteArrayAsync());
        Assert.Equal(["Summary", "By list", "Consumptions", "Ledger"], book.Sheets.Select(s => s.Name));
        Assert.InRange(app.SendsInRange, 1, 100);
        Assert.Equal(app.SendsInRange + 1, book["Consumptions"].MaxRow); // the demo's sends of those days under the header
    }

    [Fact]
    public async Task The_owner_downloads_the_consumption_rows_as_csv_beside_the_workbook()
    {
        using var client = await SignedInAsync(_server, DemoOptions.OwnerEmail, DemoOptions.OwnerPassword);
        using var response = await client.GetAsync($"accounts/{_demo}/reports/export.csv?{_range}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal($"creditportal-demo-newsletter-co-{_from}_{_to}.csv", response.Content.Headers.ContentDisposition!.FileName?.Trim('"'));
        using var csv = CsvHelper.CsvReader.Create(await response.Content.ReadAsByteArrayAsync());
        var ids = new List<long>();
        while (csv.Read()) ids.Add(csv.Parse<long>("id"));
        Assert.InRange(app.SendsInRange, 1, 100);
        Assert.Equal(app.SendsInRange, ids.Count); // the demo's sends of those days

        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"accounts/{_other}/reports/export.csv?{_range}")).StatusCode);
        using var anonymous = _server.CreateClient();
        Assert.Equal(HttpStatusCode.Redirect, (await anonymous.GetAsync($"accounts/{_demo}/reports/export.csv?{_range}")).StatusCode);
    }

    [Fact]
    public async Task An_owner_asking_for_another_account_gets_404_like_a_missing_one()
    {
        using var client = await SignedInAsync(_server, DemoOptions.OwnerEmail, DemoOptions.OwnerPassword);

        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"accounts/{_other}/reports/export.xlsx?{_range}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"accounts/987654/reports/export.xlsx?{_range}")).StatusCode);
    }

    [Fact]
    public async Task Anonymous_callers_are_sent_to_the_login_and_get_no_file()
    {
        using var client = _server.CreateClient();
        using var response = await client.GetAsync($"accounts/{_demo}/reports/export.xlsx?{_range}");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/account/login", response.Headers.Location!.PathAndQuery);
        Assert.NotEqual("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Support_downloads_any_account_and_a_bad_range_is_400()
    {
        using var client = await SignedInAsync(_server, DemoOptions.SupportEmail, DemoOptions.SupportPassword);

        using var other = await client.GetAsync($"accounts/{_other}/reports/export.xlsx?{_range}");
        Assert.Equal(HttpStatusCode.OK, other.StatusCode);
        Assert.StartsWith("creditportal-other-co-", other.Content.Headers.ContentDisposition!.FileName?.Trim('"'));

        using var bad = await client.GetAsync($"accounts/{_other}/reports/export.xlsx?from={_to}&to={_from}");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("to must be on or after from", await bad.Content.ReadAsStringAsync());
    }
}
