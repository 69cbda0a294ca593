using System.Threading.Channels;
using CreditPortal.Alerts;
using CreditPortal.Data;
using CreditPortal.Ledger.Storage;
using CreditPortal.Scheduling;
using Microsoft.Data.Sqlite;

namespace CreditPortal.Ledger.Engine;

/// <summary>
/// The single writer of the ledger. Every change of a balance is a command queued here and run one at a
/// time on one SQLite connection, so two commands can never interleave: no overspending, no lost or
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
    private readonly SqliteConnection _connection;
    private readonly LedgerStore _store;
    private readonly LedgerSession _session;
    private readonly ILogger<LedgerWriter> _logger;
    private readonly DueSignal _dueSignal;
    private readonly AlertOutboxSignal _alertSignal;
    private readonly Task _loop;
    private bool _disposed;

    public LedgerWriter(PortalDatabase database, TimeProvider clock, CreditsOptions options, ILogger<LedgerWriter> logger,
        DueSignal dueSignal, AlertOutboxSignal alertSignal)
    {
        _logger = logger;
        _dueSignal = dueSignal;
        _alertSignal = alertSignal;
        _connection = new SqliteConnection(new SqliteConnectionStringBuilder(database.ConnectionString) { Pooling = false }.ToString());
        _connection.Open();
        using (var pragma = _connection.CreateCommand())
        {
            // WAL + synchronous=NORMAL: a commit is in the WAL file before the caller is answered, so it
            // survives a process kill (SIGKILL); only a power loss could lose the last commits.
            pragma.CommandText = "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=30000; PRAGMA cache_size=-32000; PRAGMA temp_store=MEMORY;";
            pragma.ExecuteNonQuery();
        }
        _store = new LedgerStore(_connection);
        _session = new LedgerSession(_store, clock, options);
        _loop = Task.Factory.StartNew(RunLoopAsync, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default).Unwrap();
    }

    /// <summary>Runs <paramref name="command"/> on the writer and returns its result once it is committed.</summary>
    public Task<T> RunAsync<T>(Func<LedgerSession, T> command)
    {
        var work = new WriterWork<T>(command);
        if (!_queue.Writer.TryWrite(work))
            throw new ObjectDisposedException(nameof(LedgerWriter), "The ledger writer has stopped.");
        return work.Task;
    }

    public Task RunAsync(Action<LedgerSession> command) => RunAsync(s => { command(s); return true; });

    private async Task RunLoopAsync()
    {
        var batch = new List<IWriterWork>(MaxBatch);
        var reader = _queue.Reader;
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            batch.Clear();
            while (batch.Count < MaxBatch && reader.TryRead(out var work)) batch.Add(work);
            if (batch.Count == 0) continue;
            try
            {
                ExecuteBatch(batch);
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
        try
        {
            _store.Begin();
            foreach (var work in batch)
            {
                _store.Savepoint();
                _session.BeginCommand();
                try
                {
                    work.Execute(_session);
                    _session.EndCommand();
                    _store.ReleaseSavepoint();
                }
                catch (Exception ex)
                {
                    _store.RollbackToSavepoint();
                    _store.ReleaseSavepoint();
                    _session.AbandonCommand();
                    work.Failed(ex);
                    if (ex is not (LedgerRuleException or LedgerNotFoundException or LedgerValidationException or IdempotencyConflictException))
                        _logger.LogError(ex, "Ledger command failed and was rolled back");
                }
            }
            _store.Commit();
        }
        catch (Exception ex)
        {
            // The batch itself failed (its COMMIT, or a savepoint): nothing of it is stored; forget all cached state.
            _logger.LogError(ex, "Ledger batch of {Count} commands failed to commit", batch.Count);
            RollbackIfOpen();
            _session.AbandonBatch();
            foreach (var work in batch) work.Failed(ex);
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

    private void RollbackIfOpen()
    {
        if (SQLitePCL.raw.sqlite3_get_autocommit(_connection.Handle) != 0) return;
        try { _store.Rollback(); }
        catch (Exception ex) { _logger.LogError(ex, "Ledger batch could not be rolled back"); }
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
        void Execute(LedgerSession session);
        void Failed(Exception error);
        void Complete();
    }

    private sealed class WriterWork<T>(Func<LedgerSession, T> command) : IWriterWork
    {
        private readonly TaskCompletionSource<T> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private T? _result;
        private Exception? _error;

        public Task<T> Task => _completion.Task;

        public void Execute(LedgerSession session) => _result = command(session);

        public void Failed(Exception error) => _error ??= error;

        public void Complete()
        {
            if (_error is not null) _completion.TrySetException(_error);
            else _completion.TrySetResult(_result!);
        }
    }
}
