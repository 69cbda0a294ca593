namespace CreditPortal.Ledger.Storage;

/// <summary>The writer's statements on "ListDailyUsage": per account, list, channel and local day, what was sent and
/// refused (Ledger/ListDailyUsage.cs).</summary>
internal sealed class DailyUsageTable
{
    private readonly DeferredSums<(long AccountId, long ListId, Channel Channel, DateOnly Date), ListDailyUsage> _changes;
    private readonly SqlStatement _selectMessages;
    private readonly SqlStatement _sumCredits;

    public DailyUsageTable(StatementSet statements)
    {
        // Usage waits for the batch: one upsert per list, channel and day, whatever the number of sends. The
        // existing row is named by its table in the SET expressions: SQLite and PostgreSQL read it alike.
        var add = statements.PrepareUnhooked("ListDailyUsage.Add", """
            INSERT INTO "ListDailyUsage" ("AccountId", "ListId", "Channel", "LocalDate", "Messages", "Credits", "Accepted", "Rejected", "RejectedMessages")
            VALUES (@account, @list, @channel, @date, @messages, @credits, @accepted, @rejected, @rejectedMessages)
            ON CONFLICT ("AccountId", "ListId", "Channel", "LocalDate") DO UPDATE SET
              "Messages" = "ListDailyUsage"."Messages" + excluded."Messages",
              "Credits" = "ListDailyUsage"."Credits" + excluded."Credits",
              "Accepted" = "ListDailyUsage"."Accepted" + excluded."Accepted",
              "Rejected" = "ListDailyUsage"."Rejected" + excluded."Rejected",
              "RejectedMessages" = "ListDailyUsage"."RejectedMessages" + excluded."RejectedMessages"
            """);
        _changes = new DeferredSums<(long, long, Channel, DateOnly), ListDailyUsage>("ListDailyUsage", Sum, (_, usage) => add
            .Set("@account", usage.AccountId).Set("@list", usage.ListId).Set("@channel", usage.Channel).Set("@date", usage.LocalDate)
            .Set("@messages", usage.Messages).Set("@credits", usage.Credits).Set("@accepted", usage.Accepted).Set("@rejected", usage.Rejected)
            .Set("@rejectedMessages", usage.RejectedMessages)
            .Execute());
        statements.Scope.Register(_changes);
        _selectMessages = statements.Prepare("ListDailyUsage.MessagesBetween", """
            SELECT "ListId", "Channel", "LocalDate", "Messages" FROM "ListDailyUsage"
            WHERE "AccountId" = @account AND "LocalDate" >= @from AND "LocalDate" < @to
            """);
        _sumCredits = statements.Prepare("ListDailyUsage.CreditsBetween", """
            SELECT COALESCE(SUM("Credits"), 0) FROM "ListDailyUsage"
            WHERE "AccountId" = @account AND "Channel" = @channel AND "LocalDate" >= @from AND "LocalDate" < @to
            """);
    }

    /// <summary>Adds the usage's counts to its day's row (creating it at zero first).</summary>
    public void Add(ListDailyUsage usage) => _changes.Add((usage.AccountId, usage.ListId, usage.Channel, usage.LocalDate), usage);

    private static ListDailyUsage Sum(ListDailyUsage a, ListDailyUsage b) => new()
    {
        AccountId = a.AccountId, ListId = a.ListId, Channel = a.Channel, LocalDate = a.LocalDate, Messages = a.Messages + b.Messages,
        Credits = a.Credits + b.Credits, Accepted = a.Accepted + b.Accepted, Rejected = a.Rejected + b.Rejected,
        RejectedMessages = a.RejectedMessages + b.RejectedMessages,
    };

    /// <summary>Credits drawn on the channel over the local days [<paramref name="from"/>, <paramref name="to"/>) (issue #17's reminders
    /// use the forecast's rate).</summary>
    public long CreditsBetween(long accountId, Channel channel, DateOnly from, DateOnly to)
        => _sumCredits.Set("@account", accountId).Set("@channel", channel).Set("@from", from).Set("@to", to).ExecuteInteger();

    /// <summary>Messages sent per list, channel and local day in [<paramref name="from"/>, <paramref name="to"/>).</summary>
    public List<(long ListId, Channel Channel, DateOnly Date, long Messages)> MessagesBetween(long accountId, DateOnly from, DateOnly to)
    {
        var days = new List<(long, Channel, DateOnly, long)>();
        using var r = _selectMessages.Set("@account", accountId).Set("@from", from).Set("@to", to).Query();
        while (r.Read()) days.Add((r.Long("ListId"), r.Enum<Channel>("Channel"), r.Date("LocalDate"), r.Long("Messages")));
        return days;
    }
}
