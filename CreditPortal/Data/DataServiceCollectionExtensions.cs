using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace CreditPortal.Data;

public static class DataServiceCollectionExtensions
{
    /// <summary>
    /// SQLite through EF Core. Components and services never hold a DbContext for long (a circuit lives
    /// long): they create a short-lived one per operation from the factory.
    /// </summary>
    public static IServiceCollection AddPortalData(this IServiceCollection services, IConfiguration configuration, IWebHostEnvironment environment)
    {
        var connectionString = ResolveConnectionString(configuration, environment.ContentRootPath);
        services.AddSingleton(new PortalDatabase(connectionString));
        services.AddDbContextFactory<CreditPortalDbContext>(o => o.UseSqlite(connectionString));
        // Identity's stores want a scoped context; it comes from the same factory.
        services.AddScoped(sp => sp.GetRequiredService<IDbContextFactory<CreditPortalDbContext>>().CreateDbContext());
        return services;
    }

    /// <summary><c>ConnectionStrings:CreditPortal</c>, or by default a file in the app's data folder.</summary>
    public static string ResolveConnectionString(IConfiguration configuration, string contentRoot)
    {
        var configured = configuration.GetConnectionString("CreditPortal");
        var builder = string.IsNullOrWhiteSpace(configured)
            ? new SqliteConnectionStringBuilder { DataSource = Path.Combine(contentRoot, "App_Data", "creditportal.db") }
            : new SqliteConnectionStringBuilder(configured);
        builder.Pooling = true;
        if (builder.DefaultTimeout < 30) builder.DefaultTimeout = 30;
        return builder.ToString();
    }
}

/// <summary>The resolved connection string, for the parts that open their own connections.</summary>
public sealed record PortalDatabase(string ConnectionString)
{
    public string FilePath => new SqliteConnectionStringBuilder(ConnectionString).DataSource;

    /// <summary>The ids a one-column query returns (the scheduled works' "what is due" questions).</summary>
    public Task<List<long>> ReadIdsAsync(string sql, CancellationToken cancellationToken, params (string Name, object Value)[] parameters)
        => ReadAsync(sql, r => r.GetInt64(0), cancellationToken, parameters);

    /// <summary>Pairs of ids a two-column query returns (e.g. an event and its account).</summary>
    public Task<List<(long, long)>> ReadPairsAsync(string sql, CancellationToken cancellationToken, params (string Name, object Value)[] parameters)
        => ReadAsync(sql, r => (r.GetInt64(0), r.GetInt64(1)), cancellationToken, parameters);

    /// <summary>A single instant (stored as UTC ticks), or null when the query finds none.</summary>
    public async Task<DateTimeOffset?> ReadInstantAsync(string sql, CancellationToken cancellationToken, params (string Name, object Value)[] parameters)
        => (await ReadAsync(sql, r => r.IsDBNull(0) ? (long?)null : r.GetInt64(0), cancellationToken, parameters)).FirstOrDefault() is { } ticks
            ? StoredValues.Instant(ticks)
            : null;

    private async Task<List<T>> ReadAsync<T>(string sql, Func<SqliteDataReader, T> row, CancellationToken cancellationToken,
        (string Name, object Value)[] parameters)
    {
        await using var connection = new SqliteConnection(ConnectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters) command.Parameters.AddWithValue(name, value);
        var rows = new List<T>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken)) rows.Add(row(reader));
        return rows;
    }
}
