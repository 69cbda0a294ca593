using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using CreditPortal.Health;
using Microsoft.Extensions.DependencyInjection;

namespace CreditPortal.Tests.Api;

/// <summary>Issue 13.4: the app's meter counts consumptions per status and measures the writer's batches; its gauges
/// read the queue, exports, alert backlog and scheduler lag when a listener collects them.</summary>
public sealed class MetricsTests(ApiTestApp app) : IClassFixture<ApiTestApp>
{
    [Fact]
    public async Task Consumptions_are_counted_per_status_once_and_the_writer_s_batches_are_measured()
    {
        var measured = new ConcurrentBag<(string Name, double Value, string? Status)>();
        // A MeterListener hears every meter of the process, and other test classes run their own apps beside this one:
        // only this app's meter counts (its IMeterFactory is the meter's scope).
        var factory = app.Services.GetRequiredService<IMeterFactory>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == PortalMetrics.MeterName && ReferenceEquals(instrument.Meter.Scope, factory))
                l.EnableMeasurementEvents(instrument);
        };
        void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            string? status = null;
            foreach (var tag in tags) if (tag.Key == "status") status = tag.Value as string;
            measured.Add((instrument.Name, value, status));
        }
        listener.SetMeasurementEventCallback<long>((i, v, t, _) => Record(i, v, t));
        listener.SetMeasurementEventCallback<int>((i, v, t, _) => Record(i, v, t));
        listener.SetMeasurementEventCallback<double>((i, v, t, _) => Record(i, v, t));
        listener.Start();

        using var support = app.Support();
        var account = await support.CreateAccountAsync("Metrics Co");
        await support.GrantAsync(account, 100);
        var list = await support.CreateListAsync(account, "News");
        using var sender = app.As(await support.CreateKeyAsync(account));
        await sender.PostJsonAsync($"api/v1/accounts/{account}/consumptions", Api.Consumption(list, 60, "metrics-1"));
        await sender.PostJsonAsync($"api/v1/accounts/{account}/consumptions", Api.Consumption(list, 60, "metrics-2"));
        await sender.PostJsonAsync($"api/v1/accounts/{account}/consumptions", Api.Consumption(list, 60, "metrics-1"), System.Net.HttpStatusCode.OK);
        listener.RecordObservableInstruments();

        var counted = measured.Where(m => m.Name == "creditportal.consumptions").ToList();
        Assert.Equal(1, counted.Count(m => m.Status == "Accepted"));
        Assert.Equal(1, counted.Count(m => m.Status == "Rejected"));
        Assert.Equal(2, counted.Count);                               // the replay is not counted again
        Assert.Contains(measured, m => m.Name == "creditportal.writer.batch_size" && m.Value >= 1);
        Assert.Contains(measured, m => m.Name == "creditportal.writer.batch_duration" && m.Value >= 0);
        foreach (var gauge in new[] { "creditportal.writer.queue_depth", "creditportal.exports.running", "creditportal.alerts.backlog", "creditportal.scheduler.lag" })
            Assert.Contains(measured, m => m.Name == gauge && m.Value >= 0);
    }
}
