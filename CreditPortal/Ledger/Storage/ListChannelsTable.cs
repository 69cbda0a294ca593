namespace CreditPortal.Ledger.Storage;

/// <summary>The writer's statements on "ListChannels": a list's allocation and cap per channel
/// (Ledger/ListChannelSettings.cs, Data/LedgerConfigurations.cs).</summary>
internal sealed class ListChannelsTable
{
    private static void Columns(ColumnValues c, ListChannelSettings s) => c
        .Set("ListId", s.ListId)
        .Set("Channel", s.Channel)
        .Set("AccountId", s.AccountId)
        .Set("Mode", s.Mode)
        .Set("Assigned", s.Assigned)
        .Set("CapEnabled", s.CapEnabled)
        .Set("CapPerMonth", s.CapPerMonth);

    private readonly RowInsert<ListChannelSettings> _insert;
    private readonly SqlStatement _update;
    private readonly SqlStatement _addToAssigned;
    private readonly SqlStatement _selectOfAccount;

    public ListChannelsTable(StatementSet statements)
    {
        _insert = statements.Insert<ListChannelSettings>("ListChannels", Columns);
        _update = statements.Prepare("ListChannels.SetModeAndCap", """
            UPDATE "ListChannels" SET "Mode" = @mode, "CapEnabled" = @capEnabled, "CapPerMonth" = @capPerMonth
            WHERE "ListId" = @list AND "Channel" = @channel
            """);
        // CK_ListChannels_Assigned refuses an assignment below zero.
        _addToAssigned = statements.Prepare("ListChannels.AddToAssigned", """
            UPDATE "ListChannels" SET "Assigned" = "Assigned" + @delta WHERE "ListId" = @list AND "Channel" = @channel
            """);
        _selectOfAccount = statements.Prepare("ListChannels.OfAccount", """
            SELECT "ListId", "Channel", "Mode", "Assigned", "CapEnabled", "CapPerMonth" FROM "ListChannels" WHERE "AccountId" = @account
            """);
    }

    public void Insert(ListChannelSettings settings) => _insert.Insert(settings);

    /// <summary>Saves the mode and the cap; the assignment moves only through <see cref="AddToAssigned"/>.</summary>
    public void SetModeAndCap(long listId, Channel channel, AllocationMode mode, bool capEnabled, long? capPerMonth)
        => _update.Set("@list", listId).Set("@channel", channel).Set("@mode", mode).Set("@capEnabled", capEnabled).Set("@capPerMonth", capPerMonth)
            .Execute();

    public void AddToAssigned(long listId, Channel channel, long delta)
        => _addToAssigned.Set("@list", listId).Set("@channel", channel).Set("@delta", delta).Execute();

    public List<ListChannelSettings> OfAccount(long accountId)
    {
        var settings = new List<ListChannelSettings>();
        using var r = _selectOfAccount.Set("@account", accountId).Query();
        while (r.Read())
        {
            settings.Add(new ListChannelSettings
            {
                ListId = r.Long("ListId"), Channel = r.Enum<Channel>("Channel"), AccountId = accountId, Mode = r.Enum<AllocationMode>("Mode"),
                Assigned = r.Long("Assigned"), CapEnabled = r.Flag("CapEnabled"), CapPerMonth = r.NullableLong("CapPerMonth"),
            });
        }
        return settings;
    }
}
