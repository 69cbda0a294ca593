namespace CreditPortal.Tests.Infrastructure;

/// <summary>
/// Tests about SQLite itself (its WAL, its file, its query plans, its locks held by another process): ./test.sh's
/// PostgreSQL pass leaves them out with <c>--filter "Database!=SqliteOnly"</c>, as they have no PostgreSQL meaning.
/// </summary>
public static class DatabaseTraits
{
    public const string Name = "Database";
    public const string SqliteOnly = "SqliteOnly";
}
