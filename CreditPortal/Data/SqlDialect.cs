namespace CreditPortal.Data;

/// <summary>
/// The few places where the hand-written SQL (ledger writer, ledger check, reports, scheduled questions) cannot read
/// the same in SQLite and PostgreSQL. Everything else is written once: quoted identifiers, <c>@name</c> parameters,
/// integers for money and instants, text for enums and dates (<see cref="StoredValues"/>), TRUE/FALSE for flags.
/// </summary>
public sealed class SqlDialect
{
    public static readonly SqlDialect Sqlite = new(DatabaseProvider.Sqlite);
    public static readonly SqlDialect PostgreSql = new(DatabaseProvider.PostgreSQL);

    private SqlDialect(DatabaseProvider provider) => Provider = provider;

    public DatabaseProvider Provider { get; }

    public bool IsSqlite => Provider == DatabaseProvider.Sqlite;

    public static SqlDialect For(DatabaseProvider provider) => provider == DatabaseProvider.PostgreSQL ? PostgreSql : Sqlite;

    /// <summary>The ids in a JSON array parameter (the accounts set aside), as a one-column subquery.</summary>
    public string IdsIn(string parameter) => IsSqlite
        ? $"SELECT value FROM json_each({parameter})"
        : $"SELECT CAST(jsonb_array_elements_text(CAST({parameter} AS jsonb)) AS bigint)";

    /// <summary>Starts the writer's transaction. SQLite takes the write lock at once (IMMEDIATE: no upgrade deadlock with
    /// a reader); PostgreSQL locks rows as they are written or locked with FOR UPDATE.</summary>
    public string BeginWrite => IsSqlite ? "BEGIN IMMEDIATE" : "BEGIN";

    /// <summary>Forces the index a report walks (SQLite's planner picks a worse one on some filters); PostgreSQL has no
    /// such hint and plans from its statistics.</summary>
    public string IndexedBy(string index) => IsSqlite ? $" INDEXED BY {index}" : "";

    /// <summary>The value of a LIMIT parameter that means "no limit".</summary>
    public object NoLimit => IsSqlite ? -1L : DBNull.Value;

    /// <summary>Row locks (several app instances on one PostgreSQL server); SQLite has one writer and no row locks.</summary>
    public string ForUpdate => IsSqlite ? "" : " FOR UPDATE";

    public string ForUpdateSkipLocked => IsSqlite ? "" : " FOR UPDATE SKIP LOCKED";
}
