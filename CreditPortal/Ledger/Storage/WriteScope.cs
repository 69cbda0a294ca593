namespace CreditPortal.Ledger.Storage;

/// <summary>
/// A table whose rows wait in memory until the batch writes them, many per statement: the consumption path's
/// inserts and counters (consumptions, ledger entries, lot draws, list assignments, daily usage).
/// </summary>
internal interface IDeferredRows
{
    string Table { get; }

    /// <summary>Rows waiting, in the order they were added.</summary>
    int Pending { get; }

    /// <summary>Writes the first <paramref name="count"/> waiting rows and forgets them.</summary>
    void Write(int count);

    /// <summary>Forgets the waiting rows from <paramref name="index"/> on (a rolled-back command's) without writing them.</summary>
    void Forget(int index);
}

/// <summary>
/// Where the ledger writer's changes go between a batch's BEGIN and COMMIT, and how one command's changes are
/// undone without touching the others'. A command's deferred rows are undone by forgetting them; its direct
/// statements by a savepoint, opened only before its first direct write. A validated consumption only adds
/// deferred rows, so it needs no savepoint at all (the profile showed SAVEPOINT/RELEASE at ~12% of the
/// writer's time). The rules that keep every command's changes its own:
/// <list type="bullet">
/// <item>Deferred rows reach the database before COMMIT and before any statement reads or changes their tables,
/// so every statement sees what the earlier commands did.</item>
/// <item>The earlier commands' rows are written before a command opens its savepoint, never inside it: rolling
/// the command back must not take them along.</item>
/// <item>A command with a savepoint writes its own rows inside it before it ends, so a failure writing them
/// fails that command alone (scheduled work is isolated per account this way).</item>
/// <item>The rows of savepoint-less commands are written together at COMMIT. If that fails, the rows of several
/// commands shared the failing statement: the batch is rolled back (<see cref="Failed"/>) and the writer runs
/// it again <see cref="Isolated"/>, every command writing its own rows in its own savepoint.</item>
/// </list>
/// </summary>
internal sealed class WriteScope
{
    private readonly List<IDeferredRows> _tables = [];
    private readonly HashSet<string> _deferredTables = new(StringComparer.Ordinal);
    private int[] _commandStart = [];
    private bool _inCommand;
    private bool _writing;
    private SqlStatement? _savepoint, _release, _rollbackTo;

    /// <summary>Writing rows of several commands together failed: the batch cannot be committed.</summary>
    public bool Failed { get; private set; }

    /// <summary>Every command writes its own rows before it ends, in its own savepoint (the slower, isolating way).</summary>
    public bool Isolated { get; private set; }

    /// <summary>The current command opened its savepoint.</summary>
    public bool SavepointOpen { get; private set; }

    public void Register(IDeferredRows table)
    {
        _tables.Add(table);
        _deferredTables.Add(table.Table);
        _commandStart = new int[_tables.Count];
    }

    public void UseSavepoints(SqlStatement savepoint, SqlStatement release, SqlStatement rollbackTo)
        => (_savepoint, _release, _rollbackTo) = (savepoint, release, rollbackTo);

    public bool IsDeferred(string table) => _deferredTables.Contains(table);

    public void BeginBatch(bool isolated)
    {
        Failed = false;
        Isolated = isolated;
    }

    public void BeginCommand()
    {
        _inCommand = true;
        SavepointOpen = false;
        for (var i = 0; i < _tables.Count; i++) _commandStart[i] = _tables[i].Pending;
    }

    /// <summary>Before a direct write: the earlier commands' rows, then the command's savepoint, if it has none yet.</summary>
    public void BeforeWrite()
    {
        if (!_inCommand || SavepointOpen) return;
        WriteEarlierCommandsRows();
        _savepoint!.Execute();
        SavepointOpen = true;
    }

    /// <summary>Before any statement on a table with deferred rows: they are written first.</summary>
    public void BeforeTouching() => WriteDeferred();

    /// <summary>Writes every deferred row: the earlier commands' first, then (inside its savepoint) the current command's.</summary>
    public void WriteDeferred()
    {
        if (_writing) return;
        _writing = true;
        try
        {
            if (!_inCommand)
            {
                WriteRows(batchFailsOnError: true);
            }
            else
            {
                WriteEarlierCommandsRows();
                if (HasOwnRows())
                {
                    BeforeWrite();
                    WriteRows(batchFailsOnError: false);
                }
            }
        }
        finally
        {
            _writing = false;
        }
    }

    public void EndCommand()
    {
        if (HasOwnRows() && (SavepointOpen || Isolated)) WriteDeferred();
        if (SavepointOpen) _release!.Execute();
        _inCommand = false;
        SavepointOpen = false;
    }

    /// <summary>The command failed: its deferred rows are forgotten and its direct writes rolled back.</summary>
    public void AbandonCommand()
    {
        for (var i = 0; i < _tables.Count; i++) _tables[i].Forget(_commandStart[i]);
        if (SavepointOpen)
        {
            _rollbackTo!.Execute();
            _release!.Execute();
        }
        _inCommand = false;
        SavepointOpen = false;
    }

    /// <summary>The batch ended (committed or rolled back): nothing may wait for the next one.</summary>
    public void EndBatch()
    {
        foreach (var table in _tables) table.Forget(0);
        Array.Clear(_commandStart);
        _inCommand = false;
        SavepointOpen = false;
    }

    private bool HasOwnRows()
    {
        for (var i = 0; i < _tables.Count; i++)
            if (_tables[i].Pending > _commandStart[i]) return true;
        return false;
    }

    private void WriteEarlierCommandsRows()
    {
        try
        {
            for (var i = 0; i < _tables.Count; i++)
            {
                if (_commandStart[i] == 0) continue;
                _tables[i].Write(_commandStart[i]);
                _commandStart[i] = 0;
            }
        }
        catch
        {
            Failed = true;
            throw;
        }
    }

    /// <summary>Writes every waiting row; a failure fails the batch when the rows are several commands'.</summary>
    private void WriteRows(bool batchFailsOnError)
    {
        try
        {
            foreach (var table in _tables) table.Write(table.Pending);
        }
        catch
        {
            if (batchFailsOnError) Failed = true;
            throw;
        }
        Array.Clear(_commandStart);
    }
}
