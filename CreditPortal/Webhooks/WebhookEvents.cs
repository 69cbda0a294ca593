using System.Text;
using System.Text.Json;
using CreditPortal.Alerts;
using CreditPortal.Data;
using CreditPortal.Ledger;
using Microsoft.EntityFrameworkCore;

namespace CreditPortal.Webhooks;

/// <summary>
/// Derives an endpoint's events from rows the ledger has committed, in a window of instants [from, to): alerts by their instant,
/// consumptions decided at once or released from the queue by their decision, consumptions still queued by their request.
/// Each read walks an index the reports or the writer already keep (Alerts (AccountId, At), Consumptions (AccountId, DecidedAt, …),
/// the queued partial index), so an account that has endpoints pays a few range reads per poll and one without pays nothing.
/// Event ids are stable (<c>alert-41</c>, <c>consumption-7-accepted</c>, <c>consumption-9-queued</c>, <c>consumption-9-released</c>).
/// </summary>
public static class WebhookEvents
{
    public sealed record Event(string Id, string Type, DateTimeOffset At, string Payload);

    public static async Task<List<Event>> InWindowAsync(CreditPortalDbContext db, WebhookEndpoint endpoint, DateTimeOffset from, DateTimeOffset to,
        CancellationToken ct)
    {
        var types = WebhookEventTypes.FromStored(endpoint.EventTypes).ToHashSet(StringComparer.Ordinal);
        var events = new List<Event>();
        var accountId = endpoint.AccountId;

        var alertKinds = Enum.GetValues<AlertKind>().Where(k => types.Contains(WebhookEventTypes.Alert(k))).ToList();
        if (alertKinds.Count > 0)
        {
            var alerts = await db.Alerts.AsNoTracking().Where(a => a.AccountId == accountId && a.At >= from && a.At < to)
                .OrderBy(a => a.Id).ToListAsync(ct);
            foreach (var alert in alerts.Where(a => alertKinds.Contains(a.Kind)))
                events.Add(ForAlert(alert));
        }

        var wantsConsumptions = WebhookEventTypes.ConsumptionOutcomes.Any(types.Contains);
        if (!wantsConsumptions) return events;

        var decided = await db.Consumptions.AsNoTracking()
            .Where(c => c.AccountId == accountId && c.DecidedAt >= from && c.DecidedAt < to)
            .OrderBy(c => c.DecidedAt).ThenBy(c => c.Id).ToListAsync(ct);
        foreach (var c in decided)
        {
            if (c.InitialStatus == ConsumptionStatus.Queued)
            {
                // Queued and released between two reads: both events (the queued one is skipped later if it already exists).
                if (types.Contains(WebhookEventTypes.Queued) && c.RequestedAt >= endpoint.CreatedAt) events.Add(ForConsumption(c, WebhookEventTypes.Queued));
                if (types.Contains(WebhookEventTypes.Released)) events.Add(ForConsumption(c, WebhookEventTypes.Released));
            }
            else
            {
                var type = c.Status == ConsumptionStatus.Accepted ? WebhookEventTypes.Accepted : WebhookEventTypes.Rejected;
                if (types.Contains(type)) events.Add(ForConsumption(c, type));
            }
        }

        if (types.Contains(WebhookEventTypes.Queued))
        {
            // Still queued: through the partial index of queued rows (by wallet), never the account's sends.
            var wallets = await db.Wallets.AsNoTracking().Where(w => w.AccountId == accountId).Select(w => w.Id).ToListAsync(ct);
            foreach (var wallet in wallets)
            {
                var queued = await db.Consumptions.AsNoTracking()
                    .Where(c => c.WalletId == wallet && c.Status == ConsumptionStatus.Queued && c.RequestedAt >= from && c.RequestedAt < to)
                    .OrderBy(c => c.Id).ToListAsync(ct);
                events.AddRange(queued.Select(c => ForConsumption(c, WebhookEventTypes.Queued)));
            }
        }
        return events.OrderBy(e => e.At).ThenBy(e => e.Id, StringComparer.Ordinal).ToList();
    }

    private static Event ForAlert(Alert alert)
    {
        var id = $"alert-{alert.Id}";
        var type = WebhookEventTypes.Alert(alert.Kind);
        return new Event(id, type, alert.At, Payload(id, type, alert.At, alert.AccountId, w =>
        {
            w.WriteNumber("alertId", alert.Id);
            w.WriteString("kind", alert.Kind.ToString());
            w.WriteString("channel", alert.Channel.ToString());
            w.WriteString("detail", alert.Detail);
        }));
    }

    private static Event ForConsumption(Consumption c, string type)
    {
        var queued = type == WebhookEventTypes.Queued;
        var at = queued ? c.RequestedAt : c.DecidedAt ?? c.RequestedAt;
        var id = $"consumption-{c.Id}-{type["consumption.".Length..]}";
        return new Event(id, type, at, Payload(id, type, at, c.AccountId, w =>
        {
            w.WriteNumber("consumptionId", c.Id);
            w.WriteString("channel", c.Channel.ToString());
            w.WriteNumber("listId", c.ListId);
            w.WriteNumber("quantity", c.Quantity);
            w.WriteNumber("credits", c.Credits);
            // The queued event says what was answered then, whatever happened since.
            w.WriteString("status", (queued ? ConsumptionStatus.Queued : c.Status).ToString());
            var reason = queued ? c.InitialReason : c.Reason;
            if (reason is null) w.WriteNull("reason"); else w.WriteString("reason", reason);
            if (c.Reference is null) w.WriteNull("reference"); else w.WriteString("reference", c.Reference);
            w.WriteString("idempotencyKey", c.IdempotencyKey);
            w.WriteString("requestedAt", c.RequestedAt.ToUniversalTime());
            if (queued || c.DecidedAt is not { } decided) w.WriteNull("decidedAt"); else w.WriteString("decidedAt", decided.ToUniversalTime());
        }));
    }

    /// <summary><c>{id, type, createdAt, accountId, data: {…}}</c>, the body every attempt of the delivery sends.</summary>
    private static string Payload(string id, string type, DateTimeOffset at, long accountId, Action<Utf8JsonWriter> data)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("id", id);
            w.WriteString("type", type);
            w.WriteString("createdAt", at.ToUniversalTime());
            w.WriteNumber("accountId", accountId);
            w.WriteStartObject("data");
            data(w);
            w.WriteEndObject();
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }
}
