using CreditPortal.Ledger;

namespace CreditPortal.Webhooks;

/// <summary>What an endpoint can subscribe to: each alert kind (R10, expiry reminders) and each outcome of a consumption.</summary>
public static class WebhookEventTypes
{
    public const string Accepted = "consumption.accepted";
    public const string Rejected = "consumption.rejected";

    /// <summary>Queued for lack of credits or a hold (R9).</summary>
    public const string Queued = "consumption.queued";

    /// <summary>A queued consumption left the queue: accepted or rejected (its <c>status</c> says which), or cancelled.</summary>
    public const string Released = "consumption.released";

    public static string Alert(AlertKind kind) => "alert." + kind;

    public static readonly IReadOnlyList<string> ConsumptionOutcomes = [Accepted, Rejected, Queued, Released];
    public static readonly IReadOnlyList<string> AlertKinds = Enum.GetValues<AlertKind>().Select(Alert).ToList();
    public static readonly IReadOnlyList<string> All = [.. AlertKinds, .. ConsumptionOutcomes];

    /// <summary>The types as given, known and without repeats (in <see cref="All"/>'s order); anything else is bad input naming
    /// <c>events</c>.</summary>
    public static IReadOnlyList<string> Parse(IEnumerable<string?>? types)
    {
        var given = (types ?? []).Select(t => t?.Trim() ?? "").ToList();
        if (given.Count == 0) throw new LedgerValidationException("events", "Choose at least one event.");
        foreach (var type in given)
            if (!All.Contains(type, StringComparer.Ordinal))
                throw new LedgerValidationException("events", $"'{(type.Length > 40 ? type[..40] : type)}' is not an event type. Known: {string.Join(", ", All)}.");
        return All.Where(given.Contains).ToList();
    }

    public static string ToStored(IEnumerable<string> types) => string.Join(' ', types);
    public static IReadOnlyList<string> FromStored(string stored) => stored.Split(' ', StringSplitOptions.RemoveEmptyEntries);
}
