using CreditPortal.Identity;
using Microsoft.AspNetCore.Identity;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace CreditPortal.Data;

/// <summary>Brings the database to the current schema on start: on SQLite creates the file and turns WAL on; applies the
/// provider's migrations and makes sure the roles exist.</summary>
public static class DatabaseInitializer
{
    public static async Task InitializeAsync(IServiceProvider services, CancellationToken cancellationToken = default)
    {
        var database = services.GetRequiredService<PortalDatabase>();
        if (database.IsSqlite) await PrepareSqliteFileAsync(database, cancellationToken);

        await using (var scope = services.CreateAsyncScope())
        {
            var factory = scope.ServiceProvider.GetRequiredService<IDbContextFactory<CreditPortalDbContext>>();
            await using var db = await factory.CreateDbContextAsync(cancellationToken);
            // Several instances starting together on one PostgreSQL server: EF Core's migration lock lets one apply them.
            await db.Database.MigrateAsync(cancellationToken);

            var roles = scope.ServiceProvider.GetRequiredService<RoleManager<IdentityRole>>();
            foreach (var role in PortalRoles.All)
                if (!await roles.RoleExistsAsync(role))
                    await TryCreateRoleAsync(roles, role);
        }
    }

    /// <summary>Another instance may create the role at the same moment: its unique name then refuses ours, which is fine.</summary>
    private static async Task TryCreateRoleAsync(RoleManager<IdentityRole> roles, string role)
    {
        try
        {
            await roles.CreateAsync(new IdentityRole(role));
        }
        catch (DbUpdateException)
        {
            if (!await roles.RoleExistsAsync(role)) throw;
        }
    }

    private static async Task PrepareSqliteFileAsync(PortalDatabase database, CancellationToken cancellationToken)
    {
        var file = database.FilePath;
        if (!string.IsNullOrEmpty(file) && file != ":memory:")
        {
            var folder = Path.GetDirectoryName(Path.GetFullPath(file));
            if (!string.IsNullOrEmpty(folder)) Directory.CreateDirectory(folder);
        }

        // WAL lets pages and reports read while the ledger writer commits; the mode is stored in the
        // file, so setting it once here covers every later connection.
        await using (var connection = new SqliteConnection(database.ConnectionString))
        {
            await connection.OpenAsync(cancellationToken);
            await using var pragma = connection.CreateCommand();
            pragma.CommandText = "PRAGMA journal_mode=WAL;";
            await pragma.ExecuteScalarAsync(cancellationToken);
        }
    }
}
