using CreditPortal.Data;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace CreditPortal.Tests.Infrastructure;

// Also compiled into CreditPortal.E2E as a linked file (one copy of this code): keep it free of bunit and
// of anything only this project references.

/// <summary>
/// A real database of its own for one test, deleted afterwards; tests never share one. By default a SQLite file in a
/// fresh temp folder; with <c>CREDITPORTAL_TEST_DATABASE=PostgreSQL</c> (./test.sh's second pass) a new database on
/// the process's throwaway PostgreSQL server (<see cref="PostgreSqlTestServer"/>). The folder exists either way (mail
/// pickup, exports).
/// </summary>
public sealed class TempDatabase : IDisposable
{
    /// <summary>The environment variable that runs the tests' databases on PostgreSQL.</summary>
    public const string ProviderVariable = "CREDITPORTAL_TEST_DATABASE";

    private readonly string? _postgresDatabase;

    public TempDatabase(string name = "test", DatabaseProvider? provider = null)
    {
        Provider = provider ?? DefaultProvider;
        Folder = Path.Combine(Path.GetTempPath(), "creditportal-tests", $"{name}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(Folder);
        if (Provider == DatabaseProvider.PostgreSQL)
        {
            _postgresDatabase = PostgreSqlTestServer.Instance.CreateDatabase(name);
            ConnectionString = PostgreSqlTestServer.Instance.Connection(_postgresDatabase);
        }
        else
        {
            FilePath = Path.Combine(Folder, "creditportal.db");
            ConnectionString = new SqliteConnectionStringBuilder { DataSource = FilePath, Pooling = true }.ToString();
        }
    }

    /// <summary>The provider the tests of this process run on (<see cref="ProviderVariable"/>; SQLite when unset).</summary>
    public static DatabaseProvider DefaultProvider { get; } =
        Enum.TryParse<DatabaseProvider>(Environment.GetEnvironmentVariable(ProviderVariable), ignoreCase: true, out var provider)
            ? provider
            : DatabaseProvider.Sqlite;

    public DatabaseProvider Provider { get; }
    public string Folder { get; }

    /// <summary>The SQLite file (SQLite only).</summary>
    public string FilePath { get => field ?? throw new InvalidOperationException("A PostgreSQL test database has no file."); private init; }

    public string ConnectionString { get; }

    /// <summary>What the app resolves from its configuration for this database.</summary>
    public PortalDatabase Portal => new(ConnectionString, Provider);

    /// <summary>The app's settings that select this database.</summary>
    public IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
    {
        ["ConnectionStrings:CreditPortal"] = ConnectionString,
        [PortalDatabase.ProviderSetting] = Provider.ToString(),
    };

    /// <summary>A context on the provider's own model and migrations.</summary>
    public CreditPortalDbContext CreateContext() => Provider == DatabaseProvider.PostgreSQL
        ? new PostgreSqlDbContext((DbContextOptions<PostgreSqlDbContext>)PostgreSqlDbContext.Configure(new DbContextOptionsBuilder<PostgreSqlDbContext>(), ConnectionString).Options)
        : new CreditPortalDbContext(new DbContextOptionsBuilder<CreditPortalDbContext>().UseSqlite(ConnectionString).Options);

    /// <summary>Applies the real migrations, as the app does on start.</summary>
    public TempDatabase Migrate()
    {
        using var db = CreateContext();
        db.Database.Migrate();
        return this;
    }

    public void Dispose()
    {
        if (_postgresDatabase is not null)
        {
            NpgsqlConnection.ClearAllPools();
            try { PostgreSqlTestServer.Instance.DropDatabase(_postgresDatabase); } catch (NpgsqlException) { }
        }
        else
        {
            SqliteConnection.ClearAllPools();
        }
        try { Directory.Delete(Folder, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
