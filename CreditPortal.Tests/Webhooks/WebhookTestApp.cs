using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using CreditPortal.Clock;
using CreditPortal.Data;
using CreditPortal.Tests.Api;
using CreditPortal.Tests.Infrastructure;
using CreditPortal.Webhooks;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CreditPortal.Tests.Webhooks;

/// <summary>The real app with a manual clock and a fast dispatcher: polls every 100 ms, reads events as soon as the clock passed
/// them (no settle time: the tests move the clock after the sends were answered), a short per-attempt timeout.</summary>
public sealed class WebhookTestApp : ApiTestApp
{
    private readonly DateTimeOffset _start;
    private readonly Dictionary<string, string> _settings;

    public WebhookTestApp(Dictionary<string, string>? settings = null) : this(new TempDatabase("webhooks"), true, Start, settings) { }

    /// <summary>On <paramref name="database"/> (kept), its clock starting at <paramref name="start"/>: the app after a restart.</summary>
    public WebhookTestApp(TempDatabase database, bool ownsDatabase, DateTimeOffset start, Dictionary<string, string>? settings = null)
        : base(database, ownsDatabase)
    {
        _start = start;
        _settings = settings ?? [];
    }

    protected override DateTimeOffset ClockStart => _start;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Webhooks:Poll", "00:00:00.100");
        builder.UseSetting("Webhooks:Settle", "00:00:00");
        builder.UseSetting("Webhooks:AttemptTimeout", "00:00:03");
        builder.UseSetting("Webhooks:AllowHttp", "true");
        foreach (var (key, value) in _settings) builder.UseSetting(key, value);
    }

    public ManualTimeProvider Clock => (ManualTimeProvider)Services.GetRequiredService<TimeProvider>();

    public async Task<List<WebhookDelivery>> DeliveriesAsync(long endpointId)
    {
        await using var db = await Services.GetRequiredService<IDbContextFactory<CreditPortalDbContext>>().CreateDbContextAsync();
        return await db.WebhookDeliveries.AsNoTracking().Where(d => d.EndpointId == endpointId).OrderBy(d => d.Id).ToListAsync();
    }

    public async Task<WebhookEndpoint> EndpointAsync(long endpointId)
    {
        await using var db = await Services.GetRequiredService<IDbContextFactory<CreditPortalDbContext>>().CreateDbContextAsync();
        return await db.WebhookEndpoints.AsNoTracking().SingleAsync(e => e.Id == endpointId);
    }

    /// <summary>An account with a list and <paramref name="credits"/> Email credits granted.</summary>
    public async Task<(long Account, long List)> AccountAsync(string name, long credits = 100_000)
    {
        using var support = Support();
        var account = await support.CreateAccountAsync(name);
        var list = await support.CreateListAsync(account, "News");
        if (credits > 0) await support.GrantAsync(account, credits);
        return (account, list);
    }

    public async Task<(long Id, string Secret)> RegisterAsync(long account, string url, params string[] events)
    {
        using var support = Support();
        var created = await support.PostJsonAsync($"api/v1/accounts/{account}/webhooks",
            new JsonObject { ["url"] = url, ["events"] = new JsonArray(events.Select(e => (JsonNode)e).ToArray()) }.ToJsonString());
        return ((long)created["id"]!, (string)created["secret"]!);
    }

    public async Task<long> SendAsync(long account, long list, long quantity, string key, string expectedStatus = "Accepted")
    {
        using var support = Support();
        var answer = await support.PostJsonAsync($"api/v1/accounts/{account}/consumptions", CreditPortal.Tests.Api.Api.Consumption(list, quantity, key),
            HttpStatusCode.Created);
        Assert.Equal(expectedStatus, (string)answer["status"]!);
        return (long)answer["id"]!;
    }

    /// <summary>Waits (real time, at most <paramref name="seconds"/>) until <paramref name="condition"/> holds.</summary>
    public static async Task EventuallyAsync(Func<Task<bool>> condition, string what, double seconds = 20)
    {
        var watch = Stopwatch.StartNew();
        while (!await condition())
        {
            Assert.True(watch.Elapsed.TotalSeconds < seconds, $"Timed out waiting for: {what}");
            await Task.Delay(50);
        }
    }

    public static Task EventuallyAsync(Func<bool> condition, string what, double seconds = 20) => EventuallyAsync(() => Task.FromResult(condition()), what, seconds);

    public static string Iso(DateTimeOffset at) => at.ToString("O", CultureInfo.InvariantCulture);
}
