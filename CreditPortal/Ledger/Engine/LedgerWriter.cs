using System.Threading.Channels;
using CreditPortal.Alerts;
using CreditPortal.Data;
using CreditPortal.Ledger.Storage;
using CreditPortal.Scheduling;
using System.Data.Common;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace CreditPortal.Ledger.Engine;

/// <summary>
/// The single writer of the ledger. Every change of a balance is a command queued here and run one at a
/// time on one database connection, so two commands can never interleave: no overspending, no lost or
/// doubled entry, whatever the number of callers. Commands that arrive together are committed together
/// (group commit): one transaction per batch, a savepoint per command so a failing command rolls back
/// alone, and no caller hears "done" before its batch is durable in the WAL.
/// </summary>
public sealed class LedgerWriter : IAsyncDisposable, IDisposable
{
    /// <summary>Commands committed in one transaction at most. Large enough to amortise the commit,
    /// small enough that a caller's wait stays short.</summary>
    public const int MaxBatch = 512;

    private readonly System.Threading.Channels.Channel<IWriterWork> _queue = System.Threading.Channels.Channel.CreateUnbounded<IWriterWork>(new UnboundedChannelOptions { SingleReader = true });
    private readonly DbConnection _connection;
    private readonly bool _sqlite;
    private readonly LedgerStore _store;
    private readonly LedgerSession _session;
    private readonly ILogger<LedgerWriter> _logger;
    private readonly DueSignal _dueSignal;
    private readonly AlertOutboxSignal _alertSignal;
    private readonly Task _loop;
    private readonly LedgerOptions _limits;
    private int _depth;
    private readonly WalCheckpoint _wal;
    private readonly string? _walFile;
    private long _walCheckedAt;
    private long _heartbeat = Environment.TickCount64;
    private bool _disposed;

    public LedgerWriter(PortalDatabase database, TimeProvider clock, CreditsOptions options, LedgerOptions limits, ILogger<LedgerWriter> logger,
        DueSignal dueSignal, AlertOutboxSignal alertSignal, WalCheckpoint? wal = null)
    {
        _wal = wal ?? new WalCheckpoint();
        _sqlite = database.IsSqlite;
        _walFile = _sqlite ? database.FilePath + "-wal" : null;
        _limits = limits;
        _logger = logger;
        _dueSignal = dueSignal;
        _alertSignal = alertSignal;
        _connection = _sqlite ? OpenSqlite(database) : OpenPostgreSql(database);
        _store = new LedgerStore(_connection);
        _session = new LedgerSession(_store, clock, options, limits);
        _loop = Task.Factory.StartNew(RunLoopAsync, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default).Unwrap();
    }

    private static SqliteConnection OpenSqlite(PortalDatabase database)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder(database.ConnectionString) { Pooling = false }.ToString());
        connection.Open();
        using (var pragma = connection.CreateCommand())
        {
            // WAL + synchronous=NORMAL: a commit is in the WAL file before the caller is answered, so it
            // survives a process kill (SIGKILL); only a power loss could lose the last commits.
            // journal_size_limit: after a checkpoint the WAL file is cut back to 64 MiB, so a burst of writes while a
            // long export held a snapshot (docs/domain.md, R12) does not leave a huge file behind for good.
            pragma.CommandText = "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=30000; PRAGMA cache_size=-32000; PRAGMA temp_store=MEMORY; PRAGMA journal_size_limit=67108864;";
            pragma.ExecuteNonQuery();
        }
        return connection;
    }

    /// <summary>The writer's own PostgreSQL connection, outside the pool (it lives as long as the writer). Its statements are
    /// prepared on the server once (PostgreSqlStatement), so each run sends only values. A commit is durable on the server
    /// (synchronous_commit as the server has it) before any caller of the batch is answered.</summary>
    private static NpgsqlConnection OpenPostgreSql(PortalDatabase database)
    {
        var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(database.ConnectionString)
        {
            Pooling = false, MaxAutoPrepare = 1024, AutoPrepareMinUsages = 1, ApplicationName = "CreditPortal ledger writer",
        }.ToString());
        connection.Open();
        return connection;
    }

    /// <summary>Commands waiting for the writer now (health, metrics).</summary>
    public int QueueDepth => Volatile.Read(ref _depth);

    /// <summary>How long the oldest waiting command has waited (zero when none waits).</summary>
    public TimeSpan OldestWait => _queue.Reader.TryPeek(out var oldest) ? TimeSpan.FromMilliseconds(Environment.TickCount64 - oldest.QueuedAt) : TimeSpan.Zero;

    /// <summary>Since when the writer's loop last showed it is alive (a batch done, or waiting for work).</summary>
    public TimeSpan SinceHeartbeat => TimeSpan.FromMilliseconds(Environment.TickCount64 - Volatile.Read(ref _heartbeat));

    /// <summary>Batches committed, and their commands, for the metrics (<see cref="BatchCommitted"/>).</summary>
    public event Action<int, TimeSpan>? BatchCommitted;

    /// <summary>Runs <paramref name="command"/> on the writer and returns its result once it is committed. When
    /// <see cref="LedgerOptions.QueueLimit"/> commands already wait, it is refused at once (<see cref="LedgerBusyException"/>):
    /// a bounded queue keeps memory and every caller's wait bounded under overload.</summary>
    public Task<T> RunAsync<T>(Func<LedgerSession, T> command)
    {
        if (Interlocked.Increment(ref _depth) > _limits.QueueLimit)
        {
            Interlocked.Decrement(ref _depth);
            throw new LedgerBusyException(LedgerBusyException.Busy,
                "The ledger is busy: too many requests are waiting. Nothing was changed; try again in a moment with the same idempotency key.",
                _limits.BusyRetryAfter);
        }
        var work = new WriterWork<T>(command);
        if (!_queue.Writer.TryWrite(work))
        {
            Interlocked.Decrement(ref _depth);
            throw new ObjectDisposedException(nameof(LedgerWriter), "The ledger writer has stopped.");
        }
        return work.Task;
    }

    public Task RunAsync(Action<LedgerSession> command) => RunAsync(s => { command(s); return true; });

    /// <summary>Runs a statement on the writer's own connection, between commands (fault tests set
    /// <c>PRAGMA max_page_count</c> there to make the disk "full").</summary>
    internal Task<object?> ExecuteOnConnectionAsync(string sql) => RunAsync<object?>(_ =>
    {
        using var command = _connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    });

    private async Task RunLoopAsync()
    {
        var batch = new List<IWriterWork>(MaxBatch);
        var reader = _queue.Reader;
        while (true)
        {
            Volatile.Write(ref _heartbeat, Environment.TickCount64);
            if (!reader.TryPeek(out _))
            {
                // Idle: a wait for work is alive by definition, so the heartbeat waits with it (a ticking timer).
                var waiting = reader.WaitToReadAsync().AsTask();
                while (await Task.WhenAny(waiting, Task.Delay(1_000)).ConfigureAwait(false) != waiting)
                    Volatile.Write(ref _heartbeat, Environment.TickCount64);
                if (!await waiting.ConfigureAwait(false)) break;
            }
            batch.Clear();
            while (batch.Count < MaxBatch && reader.TryRead(out var work)) batch.Add(work);
            if (batch.Count == 0) continue;
            Interlocked.Add(ref _depth, -batch.Count);
            var started = Environment.TickCount64;
            try
            {
                ExecuteBatch(batch);
                BatchCommitted?.Invoke(batch.Count, TimeSpan.FromMilliseconds(Environment.TickCount64 - started));
                KeepWalBounded();
            }
            catch (Exception ex)
            {
                // The loop must outlive any failure, or every later caller would wait forever.
                _logger.LogCritical(ex, "Ledger writer loop failed on a batch; its callers get the error");
                _session.AbandonBatch();
                foreach (var work in batch) { work.Failed(ex); work.Complete(); }
            }
        }
    }

    private void ExecuteBatch(List<IWriterWork> batch)
    {
        var error = TryExecuteBatch(batch, isolated: false);
        if (error is not null && _store.BatchFailed)
        {
            // The rows of several commands went into one statement and it failed: one command's rows are bad.
            // Run the batch again with each command writing its own rows in its own savepoint, so only that one fails.
            _logger.LogWarning(error, "Ledger batch of {Count} commands could not write its rows together; running it again command by command",
                batch.Count);
            foreach (var work in batch) work.Reset();
            error = TryExecuteBatch(batch, isolated: true);
        }
        if (error is not null)
        {
            _logger.LogError(error, "Ledger batch of {Count} commands failed to commit", batch.Count);
            error = Unavailable(error) ?? error;
            foreach (var work in batch) work.Failed(error);
            foreach (var work in batch) work.Complete();
            return;
        }

        var (afterCommit, dueSooner, alertRaised) = _session.Effects.Take();
        _session.BatchCommitted();
        foreach (var work in batch) work.Complete();
        if (dueSooner) _dueSignal.Set();
        if (alertRaised) _alertSignal.Set();
        foreach (var action in afterCommit)
        {
            try { action(); }
            catch (Exception ex) { _logger.LogError(ex, "After-commit action failed"); }
        }
    }

    /// <summary>Runs and commits the batch; on failure rolls it back, forgets its state and returns the error.</summary>
    private Exception? TryExecuteBatch(List<IWriterWork> batch, bool isolated)
    {
        try
        {
            _store.BeginBatch(isolated);
            foreach (var work in batch)
            {
                _store.BeginCommand();
                _session.BeginCommand();
                try
                {
                    work.Execute(_session);
                    _session.EndCommand();
                    _store.EndCommand();
                }
                catch (Exception ex) when (Unavailable(ex) is null)
                {
                    // (A full disk or a lock timeout fails the whole batch instead: SQLite may already have rolled
                    // the transaction back, so no later command of the batch may run as if it were open.)
                    _store.AbandonCommand();
                    _session.AbandonCommand();
                    work.Failed(ex);
                    if (ex is not (LedgerRuleException or LedgerNotFoundException or LedgerValidationException or IdempotencyConflictException))
                        _logger.LogError(ex, "Ledger command failed and was rolled back");
                }
                if (_store.BatchFailed) throw new InvalidOperationException("The batch's rows could not be written together.");
            }
            _store.Commit();
            return null;
        }
        catch (Exception ex)
        {
            // Nothing of the batch is stored: forget all of its state.
            RollbackIfOpen();
            _session.AbandonBatch();
            return ex;
        }
    }

    /// <summary>
    /// At most once a second: when the WAL file has grown past <see cref="LedgerOptions.WalCheckpointMiB"/>, pause new
    /// exports and try a truncating checkpoint, waiting at most 100 ms for readers of older snapshots (no write
    /// happens meanwhile: this is the writer's thread). Once it succeeds the file is empty again and exports resume.
    /// </summary>
    private void KeepWalBounded()
    {
        if (!_sqlite) return; // PostgreSQL recycles its own WAL at checkpoints, whatever the readers.
        var now = Environment.TickCount64;
        if (Interlocked.Exchange(ref _walRestartAsked, null) is { } asked)
        {
            asked.TrySetResult(RestartWal());
            return;
        }
        if (now - _walCheckedAt < 1_000) return;
        _walCheckedAt = now;
        var size = File.Exists(_walFile!) ? new FileInfo(_walFile!).Length : 0;
        if (size < _limits.WalCheckpointMiB * 1024 * 1024 && !_wal.ExportsPaused) return;
        if (!_wal.ExportsPaused) _logger.LogWarning("The WAL holds {MiB} MiB; pausing new exports until it can be restarted", size / (1024 * 1024));
        RestartWal();
    }

    /// <summary>Tests: one attempt to restart the WAL, on the writer after its next commit (a checkpoint cannot run
    /// inside the batch's own transaction); true when it was restarted.</summary>
    internal async Task<bool> RestartWalAsync()
    {
        var asked = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        Volatile.Write(ref _walRestartAsked, asked);
        await RunAsync(_ => true);
        return await asked.Task;
    }

    private TaskCompletionSource<bool>? _walRestartAsked;

    /// <summary>Pauses new exports and tries a truncating checkpoint; resumes them once it succeeds.</summary>
    private bool RestartWal()
    {
        try
        {
            _wal.Pause();
            using var command = _connection.CreateCommand();
            command.CommandText = "PRAGMA busy_timeout=100;";
            command.ExecuteNonQuery();
            command.CommandText = "PRAGMA wal_checkpoint(TRUNCATE);";
            using (var reader = command.ExecuteReader())
            {
                // (busy, frames in the log, frames checkpointed): busy = 0 means every frame is back in the database.
                if (reader.Read() && reader.GetInt32(0) == 0)
                {
                    _wal.Resume();
                    _logger.LogInformation("The WAL was restarted; exports resume");
                }
            }
            command.CommandText = "PRAGMA busy_timeout=30000;";
            command.ExecuteNonQuery();
            return !_wal.ExportsPaused;
        }
        catch (Exception ex)
        {
            _logger.LogWarning(ex, "WAL checkpoint attempt failed; trying again in a second");
            return false;
        }
    }

    /// <summary>A database that cannot take writes now (disk full, locked by another process past the busy timeout)
    /// is not the caller's fault nor a bug: it becomes a "try again later" (API: 503), with nothing changed.</summary>
    private LedgerBusyException? Unavailable(Exception error) => error switch
    {
        SqliteException { SqliteErrorCode: 13 } => new LedgerBusyException(LedgerBusyException.StorageFull,
            "The ledger's storage is full, so nothing can be recorded now. Nothing was changed; try again later with the same idempotency key.",
            TimeSpan.FromSeconds(30), error),
        SqliteException { SqliteErrorCode: 5 or 6 } => new LedgerBusyException(LedgerBusyException.Busy,
            "The ledger's database is locked by another process. Nothing was changed; try again in a moment with the same idempotency key.",
            _limits.BusyRetryAfter, error),
        // PostgreSQL: disk full, or the server unreachable or shutting down.
        PostgresException { SqlState: PostgresErrorCodes.DiskFull or PostgresErrorCodes.OutOfMemory } => new LedgerBusyException(
            LedgerBusyException.StorageFull,
            "The ledger's storage is full, so nothing can be recorded now. Nothing was changed; try again later with the same idempotency key.",
            TimeSpan.FromSeconds(30), error),
        PostgresException { SqlState: PostgresErrorCodes.LockNotAvailable or PostgresErrorCodes.QueryCanceled or PostgresErrorCodes.DeadlockDetected }
            or NpgsqlException { IsTransient: true } => new LedgerBusyException(LedgerBusyException.Busy,
            "The ledger's database is busy or out of reach. Nothing was changed; try again in a moment with the same idempotency key.",
            _limits.BusyRetryAfter, error),
        _ => null,
    };

    private void RollbackIfOpen()
    {
        var open = _connection switch
        {
            SqliteConnection sqlite => SQLitePCL.raw.sqlite3_get_autocommit(sqlite.Handle) == 0,
            _ => true,
        };
        try
        {
            _store.Rollback();
        }
        catch (Exception ex)
        {
            if (open) _logger.LogError(ex, "Ledger batch could not be rolled back");
        }
    }

    /// <summary>Finishes what is queued, then closes the connection (containers disposed synchronously).</summary>
    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    public async ValueTask DisposeAsync()
    {
        if (_disposed) return;
        _disposed = true;
        _queue.Writer.TryComplete();
        await _loop.ConfigureAwait(false);
        _store.Dispose();
        await _connection.DisposeAsync().ConfigureAwait(false);
    }

    private interface IWriterWork
    {
        /// <summary>When it was queued (<see cref="Environment.TickCount64"/>).</summary>
        long QueuedAt { get; }

        void Execute(LedgerSession session);
        void Failed(Exception error);

        /// <summary>Forgets the outcome of a run that was rolled back, before the command runs again.</summary>
        void Reset();

        void Complete();
    }

    private sealed class WriterWork<T>(Func<LedgerSession, T> command) : IWriterWork
    {
        private readonly TaskCompletionSource<T> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private T? _result;
        private Exception? _error;

        public long QueuedAt { get; } = Environment.TickCount64;

        public Task<T> Task => _completion.Task;

        public void Execute(LedgerSession session) => _result = command(session);

        public void Failed(Exception error) => _error ??= error;

        public void Reset()
        {
            _result = default;
            _error = null;
        }

        public void Complete()
        {
            if (_error is not null) _completion.TrySetException(_error);
            else _completion.TrySetResult(_result!);
        }
    }
}
