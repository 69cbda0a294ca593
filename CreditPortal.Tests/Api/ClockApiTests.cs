using System.Net;

namespace CreditPortal.Tests.Api;

/// <summary><c>PUT /api/v1/clock</c> with the manual clock: forward only, and due events have run when it answers.</summary>
public sealed class ClockApiTests(ApiTestApp app) : IClassFixture<ApiTestApp>
{
    [Fact]
    public async Task Moving_the_clock_runs_what_became_due_before_answering_and_never_goes_back()
    {
        using var support = app.Support();
        var account = await support.CreateAccountAsync("Timed", ""","productTypes":["Domain"]""");
        using var client = app.As(await support.CreateKeyAsync(account));
        var list = await client.CreateListAsync(account, "News");
        await support.GrantAsync(account, 100, expiresAt: "2026-11-20T00:00:00Z");
        await client.PostJsonAsync($"api/v1/accounts/{account}/consumptions", Api.Consumption(list, 30, "before"));
        // 250 free (Domain, until 30 Nov) + 100 (until 20 Nov) - 30; R1 draws the sooner-expiring adjustment first.
        Assert.Equal(320, await client.TotalAsync(account));
        Assert.Equal(70, (long)(await client.WalletAsync(account))["lots"]!.AsArray().Single(l => (string)l!["kind"]! == "Adjustment")!["remaining"]!);

        // Past the adjustment's expiry: R5 takes its remaining out; the answer comes after that ran.
        var moved = await support.PutJsonAsync("api/v1/clock", """{"now":"2026-11-25T12:00:00Z"}""");
        Assert.Equal("2026-11-25T12:00:00+00:00", (string)moved["now"]!);
        Assert.True((int)moved["eventsRun"]! >= 1);
        var wallet = await client.WalletAsync(account);
        Assert.Equal(250, (long)wallet["total"]!);
        Assert.DoesNotContain(wallet["lots"]!.AsArray(), l => (string)l!["kind"]! == "Adjustment");
        Assert.Contains(await client.GetItemsAsync($"api/v1/accounts/{account}/ledger"), e => (string)e!["kind"]! == "Expiry");

        // Into December (Rome): R2 month start replaces the free lot.
        await support.PutJsonAsync("api/v1/clock", """{"now":"2026-12-01T06:00:00+01:00"}""");
        wallet = await client.WalletAsync(account);
        var free = wallet["lots"]!.AsArray().Single()!;
        Assert.Equal("MonthlyFree", (string)free["kind"]!);
        Assert.Equal("2026-12-31T23:00:00+00:00", (string)free["expiresAt"]!);

        var before = await support.SnapshotAsync(account);
        var back = await support.PutJsonAsync("api/v1/clock", """{"now":"2026-11-30T00:00:00Z"}""", HttpStatusCode.UnprocessableEntity);
        Api.AssertProblem(back, 422, "now", "clock_moved_backwards");
        Api.AssertProblem(await support.PutJsonAsync("api/v1/clock", """{"now":"2026-12-02T00:00:00"}""", HttpStatusCode.BadRequest), 400, "now");
        Api.AssertProblem(await support.PutJsonAsync("api/v1/clock", """{}""", HttpStatusCode.BadRequest), 400, "now");
        await client.PutJsonAsync("api/v1/clock", """{"now":"2027-01-01T00:00:00Z"}""", HttpStatusCode.Forbidden);
        Assert.Equal(before, await support.SnapshotAsync(account));
        Assert.Empty(await app.LedgerCheckAsync());
    }
}

/// <summary>With the system clock the route does not exist.</summary>
public sealed class SystemClockApiTests(SystemClockApiTestApp app) : IClassFixture<SystemClockApiTestApp>
{
    [Fact]
    public async Task Clock_endpoint_is_404_unless_the_clock_is_manual()
    {
        using var support = app.Support();
        var problem = await support.PutJsonAsync("api/v1/clock", """{"now":"2030-01-01T00:00:00Z"}""", HttpStatusCode.NotFound);
        Api.AssertProblem(problem, 404);
        // The rest of the API is there.
        Assert.Equal(7, (await support.GetJsonAsync("api/v1/catalog")).AsArray().Count);
    }
}
