using System.Diagnostics.Metrics;
using CreditPortal.Alerts;
using CreditPortal.Ledger;
using CreditPortal.Ledger.Engine;
using CreditPortal.Reports;
using CreditPortal.Scheduling;

namespace CreditPortal.Health;

/// <summary>
/// The app's own metrics (<see cref="System.Diagnostics.Metrics"/>, meter <see cref="MeterName"/>), exported over
/// OTLP when <c>Telemetry:OtlpEndpoint</c> is set, and readable with <c>dotnet-counters monitor -n CreditPortal
/// --counters CreditPortal</c> at any time:
/// consumptions per status, writer batch size and commit time, queue depth, exports running, alert backlog and
/// scheduler lag. The gauges are read only when a listener collects them.
/// </summary>
public sealed class PortalMetrics : IDisposable
{
    public const string MeterName = "CreditPortal";

    private readonly Meter _meter;
    private readonly Counter<long> _consumptions;
    private readonly Histogram<int> _batchSize;
    private readonly Histogram<double> _commitTime;
    private readonly LedgerWriter _writer;

    public PortalMetrics(IMeterFactory meters, LedgerWriter writer, ExportLimits exports, AlertMailer mailer, Scheduler scheduler, TimeProvider clock,
        CreditPortal.Webhooks.WebhookDispatcher webhooks)
    {
        _writer = writer;
        _meter = meters.Create(MeterName);
        _consumptions = _meter.CreateCounter<long>("creditportal.consumptions", "{consumption}", "Consumptions decided, by status (Accepted, Queued, Rejected).");
        _batchSize = _meter.CreateHistogram<int>("creditportal.writer.batch_size", "{command}", "Commands committed in one writer transaction.");
        _commitTime = _meter.CreateHistogram<double>("creditportal.writer.batch_duration", "ms", "Time to run and commit one writer batch.");
        _meter.CreateObservableGauge("creditportal.writer.queue_depth", () => writer.QueueDepth, "{command}", "Commands waiting for the ledger writer.");
        _meter.CreateObservableGauge("creditportal.writer.oldest_wait", () => writer.OldestWait.TotalMilliseconds, "ms", "How long the oldest waiting command has waited.");
        _meter.CreateObservableGauge("creditportal.exports.running", () => exports.Running, "{export}", "Report exports running.");
        _meter.CreateObservableGauge("creditportal.alerts.backlog", () => mailer.BacklogAsync().GetAwaiter().GetResult().Count, "{alert}",
            "Alerts waiting to be mailed.");
        _meter.CreateObservableGauge("creditportal.webhooks.backlog", () => webhooks.BacklogAsync().GetAwaiter().GetResult().Count, "{delivery}",
            "Webhook deliveries waiting to be delivered (not given up).");
        _meter.CreateObservableGauge("creditportal.scheduler.lag", () =>
        {
            var next = scheduler.NextDueAsync(CancellationToken.None).GetAwaiter().GetResult();
            var now = clock.GetUtcNow();
            return next is { } due && due < now ? (now - due).TotalSeconds : 0;
        }, "s", "How late the earliest due scheduled work is.");
        writer.BatchCommitted += OnBatch;
    }

    /// <summary>Counts a decided consumption (not a replay: the first answer was counted).</summary>
    public void Consumption(ConsumptionStatus status)
        => _consumptions.Add(1, new KeyValuePair<string, object?>("status", status.ToString()));

    private void OnBatch(int commands, TimeSpan took)
    {
        _batchSize.Record(commands);
        _commitTime.Record(took.TotalMilliseconds);
    }

    public void Dispose()
    {
        _writer.BatchCommitted -= OnBatch;
        _meter.Dispose();
    }
}
