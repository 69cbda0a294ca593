namespace CreditPortal.Ledger.Storage;

/// <summary>The writer's statements on "ListDailyUsage": per account, list, channel and local day, what was sent and
/// refused (Ledger/ListDailyUsage.cs).</summary>
internal sealed class DailyUsageTable
{
    private readonly SqlStatement _add;
    private readonly SqlStatement _selectMessages;

    public DailyUsageTable(StatementSet statements)
    {
        // The existing row is named by its table in the SET expressions: SQLite and PostgreSQL read it alike.
        _add = statements.Prepare("ListDailyUsage.Add", """
            INSERT INTO "ListDailyUsage" ("AccountId", "ListId", "Channel", "LocalDate", "Messages", "Credits", "Accepted", "Rejected", "RejectedMessages")
            VALUES (@account, @list, @channel, @date, @messages, @credits, @accepted, @rejected, @rejectedMessages)
            ON CONFLICT ("AccountId", "ListId", "Channel", "LocalDate") DO UPDATE SET
              "Messages" = "ListDailyUsage"."Messages" + excluded."Messages",
              "Credits" = "ListDailyUsage"."Credits" + excluded."Credits",
              "Accepted" = "ListDailyUsage"."Accepted" + excluded."Accepted",
              "Rejected" = "ListDailyUsage"."Rejected" + excluded."Rejected",
              "RejectedMessages" = "ListDailyUsage"."RejectedMessages" + excluded."RejectedMessages"
            """);
        _selectMessages = statements.Prepare("ListDailyUsage.MessagesBetween", """
            SELECT "ListId", "Channel", "LocalDate", "Messages" FROM "ListDailyUsage"
            WHERE "AccountId" = @account AND "LocalDate" >= @from AND "LocalDate" < @to
            """);
    }

    /// <summary>Adds the usage's counts to its day's row (creating it at zero first).</summary>
    public void Add(ListDailyUsage usage) => _add
        .Set("@account", usage.AccountId).Set("@list", usage.ListId).Set("@channel", usage.Channel).Set("@date", usage.LocalDate)
        .Set("@messages", usage.Messages).Set("@credits", usage.Credits).Set("@accepted", usage.Accepted).Set("@rejected", usage.Rejected)
        .Set("@rejectedMessages", usage.RejectedMessages)
        .Execute();

    /// <summary>Messages sent per list, channel and local day in [<paramref name="from"/>, <paramref name="to"/>).</summary>
    public List<(long ListId, Channel Channel, DateOnly Date, long Messages)> MessagesBetween(long accountId, DateOnly from, DateOnly to)
    {
        var days = new List<(long, Channel, DateOnly, long)>();
        using var r = _selectMessages.Set("@account", accountId).Set("@from", from).Set("@to", to).Query();
        while (r.Read()) days.Add((r.Long("ListId"), r.Enum<Channel>("Channel"), r.Date("LocalDate"), r.Long("Messages")));
        return days;
    }
}
