using System.Data.Common;
using System.Net.Sockets;
using Microsoft.Data.Sqlite;

namespace CreditPortal.Scheduling;

/// <summary>
/// Failures that say the database or a dependency is unavailable right now (locked, full, unreachable, timed
/// out), as opposed to a failure of one account's own data or rules. Scheduled work does not set an account
/// aside for these: the whole kind of work waits and tries again, because every account would fail the same way.
/// </summary>
public static class TransientFault
{
    // SQLITE_BUSY, SQLITE_LOCKED, SQLITE_IOERR, SQLITE_FULL, SQLITE_CANTOPEN.
    private static readonly int[] SqliteCodes = [5, 6, 10, 13, 14];

    public static bool Is(Exception error)
    {
        for (Exception? e = error; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case SqliteException sqlite when SqliteCodes.Contains(sqlite.SqliteErrorCode):
                case DbException { IsTransient: true }:
                case TimeoutException:
                case HttpRequestException:
                case SocketException:
                case IOException:
                case TaskCanceledException:
                case ITransientFailure:
                    return true;
            }
            if (e is AggregateException aggregate && aggregate.InnerExceptions.Any(Is)) return true;
        }
        return false;
    }
}

/// <summary>Marks an exception type as "try again later" (e.g. the ledger writer being overloaded).</summary>
public interface ITransientFailure;
