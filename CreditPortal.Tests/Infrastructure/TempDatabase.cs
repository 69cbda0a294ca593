using CreditPortal.Data;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace CreditPortal.Tests.Infrastructure;

// Also compiled into CreditPortal.E2E as a linked file (one copy of this code): keep it free of bunit and
// of anything only this project references.

/// <summary>A real SQLite file in a fresh temp folder, deleted afterwards. Tests never share one.</summary>
public sealed class TempDatabase : IDisposable
{
    public TempDatabase(string name = "test")
    {
        Folder = Path.Combine(Path.GetTempPath(), "creditportal-tests", $"{name}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(Folder);
        FilePath = Path.Combine(Folder, "creditportal.db");
        ConnectionString = new SqliteConnectionStringBuilder { DataSource = FilePath, Pooling = true }.ToString();
    }

    public string Folder { get; }
    public string FilePath { get; }
    public string ConnectionString { get; }

    public DbContextOptions<CreditPortalDbContext> Options =>
        new DbContextOptionsBuilder<CreditPortalDbContext>().UseSqlite(ConnectionString).Options;

    public CreditPortalDbContext CreateContext() => new(Options);

    /// <summary>Applies the real migrations, as the app does on start.</summary>
    public TempDatabase Migrate()
    {
        using var db = CreateContext();
        db.Database.Migrate();
        return this;
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        try { Directory.Delete(Folder, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
