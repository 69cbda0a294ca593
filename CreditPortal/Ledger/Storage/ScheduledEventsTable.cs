namespace CreditPortal.Ledger.Storage;

/// <summary>The writer's statements on "ScheduledEvents": each scheduled event's unique key, recorded in the same
/// transaction as its effect so it runs exactly once (Scheduling/ScheduledEventRecord.cs).</summary>
internal sealed class ScheduledEventsTable
{
    private readonly SqlStatement _record;
    private readonly SqlStatement _exists;

    public ScheduledEventsTable(StatementSet statements)
    {
        _record = statements.Prepare("ScheduledEvents.Record", """
            INSERT INTO "ScheduledEvents" ("Key", "DueAt", "RanAt") VALUES (@key, @dueAt, @ranAt) ON CONFLICT ("Key") DO NOTHING
            """);
        _exists = statements.Prepare("ScheduledEvents.Exists", """SELECT COUNT(*) FROM "ScheduledEvents" WHERE "Key" = @key""");
    }

    /// <summary>Records the event; false when it was recorded before (its effect must not repeat).</summary>
    public bool Record(string key, DateTimeOffset dueAt, DateTimeOffset ranAt)
        => _record.Set("@key", key).Set("@dueAt", dueAt).Set("@ranAt", ranAt).Execute() == 1;

    public bool Exists(string key) => _exists.Set("@key", key).ExecuteInteger() > 0;
}
