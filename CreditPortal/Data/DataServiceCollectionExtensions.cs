using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace CreditPortal.Data;

/// <summary>Where the portal keeps its data (<c>Database:Provider</c>): one SQLite file beside one app instance (the
/// default), or a PostgreSQL server that several instances share (README, "Running more than one instance").</summary>
public enum DatabaseProvider
{
    Sqlite,
    PostgreSQL,
}

public static class DataServiceCollectionExtensions
{
    /// <summary>
    /// EF Core on the configured provider. Components and services never hold a DbContext for long (a circuit lives
    /// long): they create a short-lived one per operation from the factory. Each provider has its own migration set
    /// (<see cref="CreditPortalDbContext"/> for SQLite, <see cref="PostgreSqlDbContext"/> for PostgreSQL); everything
    /// else asks for <see cref="CreditPortalDbContext"/> and gets the configured one.
    /// </summary>
    public static IServiceCollection AddPortalData(this IServiceCollection services, IConfiguration configuration, IWebHostEnvironment environment)
    {
        var database = PortalDatabase.From(configuration, environment.ContentRootPath);
        services.AddSingleton(database);
        services.AddPortalDbContext(database);
        return services;
    }

    /// <summary>The DbContext factory (and the scoped context Identity's stores want) for <paramref name="database"/>.</summary>
    public static IServiceCollection AddPortalDbContext(this IServiceCollection services, PortalDatabase database)
    {
        if (database.Provider == DatabaseProvider.PostgreSQL)
        {
            services.AddDbContextFactory<PostgreSqlDbContext>(o => PostgreSqlDbContext.Configure(o, database.ConnectionString));
            services.AddSingleton<IDbContextFactory<CreditPortalDbContext>>(sp =>
                new BaseContextFactory<PostgreSqlDbContext>(sp.GetRequiredService<IDbContextFactory<PostgreSqlDbContext>>()));
        }
        else
        {
            services.AddDbContextFactory<CreditPortalDbContext>(o => o.UseSqlite(database.ConnectionString));
        }
        services.AddScoped(sp => sp.GetRequiredService<IDbContextFactory<CreditPortalDbContext>>().CreateDbContext());
        return services;
    }

    /// <summary><c>ConnectionStrings:CreditPortal</c>, or by default a file in the app's data folder.</summary>
    public static string ResolveConnectionString(IConfiguration configuration, string contentRoot)
        => PortalDatabase.From(configuration, contentRoot).ConnectionString;

    private sealed class BaseContextFactory<TContext>(IDbContextFactory<TContext> inner) : IDbContextFactory<CreditPortalDbContext>
        where TContext : CreditPortalDbContext
    {
        public CreditPortalDbContext CreateDbContext() => inner.CreateDbContext();
    }
}

/// <summary>The resolved provider and connection string, for the parts that open their own connections (the ledger
/// writer, the ledger check, the reports, the scheduled questions).</summary>
public sealed record PortalDatabase(string ConnectionString, DatabaseProvider Provider = DatabaseProvider.Sqlite)
{
    public const string ProviderSetting = "Database:Provider";

    public static PortalDatabase From(IConfiguration configuration, string contentRoot)
    {
        var providerText = configuration[ProviderSetting];
        var provider = string.IsNullOrWhiteSpace(providerText)
            ? DatabaseProvider.Sqlite
            : Enum.TryParse<DatabaseProvider>(providerText, ignoreCase: true, out var parsed)
                ? parsed
                : throw new InvalidOperationException($"{ProviderSetting} must be Sqlite or PostgreSQL, not '{providerText}'.");
        var configured = configuration.GetConnectionString("CreditPortal");
        if (provider == DatabaseProvider.PostgreSQL)
        {
            if (string.IsNullOrWhiteSpace(configured))
                throw new InvalidOperationException($"{ProviderSetting}=PostgreSQL needs ConnectionStrings:CreditPortal (Host=...;Database=...;Username=...).");
            return new PortalDatabase(new NpgsqlConnectionStringBuilder(configured).ToString(), provider);
        }
        var builder = string.IsNullOrWhiteSpace(configured)
            ? new SqliteConnectionStringBuilder { DataSource = Path.Combine(contentRoot, "App_Data", "creditportal.db") }
            : new SqliteConnectionStringBuilder(configured);
        builder.Pooling = true;
        if (builder.DefaultTimeout < 30) builder.DefaultTimeout = 30;
        return new PortalDatabase(builder.ToString(), provider);
    }

    public bool IsSqlite => Provider == DatabaseProvider.Sqlite;

    /// <summary>The SQLite file (SQLite only: PostgreSQL keeps its files on its server).</summary>
    public string FilePath => IsSqlite
        ? new SqliteConnectionStringBuilder(ConnectionString).DataSource
        : throw new InvalidOperationException("A PostgreSQL database has no file of the app's own.");

    /// <summary>How the hand-written SQL differs between the providers.</summary>
    public SqlDialect Dialect => SqlDialect.For(Provider);

    /// <summary>A new, closed connection to the database.</summary>
    public DbConnection CreateConnection() => IsSqlite ? new SqliteConnection(ConnectionString) : new NpgsqlConnection(ConnectionString);

    /// <summary>A read transaction that sees one committed snapshot throughout (SQLite: any transaction in WAL mode;
    /// PostgreSQL: REPEATABLE READ, read only).</summary>
    public async Task<DbTransaction> BeginSnapshotAsync(DbConnection connection, CancellationToken cancellationToken)
        => IsSqlite
            ? await connection.BeginTransactionAsync(cancellationToken)
            : await ((NpgsqlConnection)connection).BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, cancellationToken);

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

    private async Task<List<T>> ReadAsync<T>(string sql, Func<DbDataReader, T> row, CancellationToken cancellationToken,
        (string Name, object Value)[] parameters)
    {
        await using var connection = CreateConnection();
        await connection.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters) command.AddParameter(name, value);
        var rows = new List<T>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken)) rows.Add(row(reader));
        return rows;
    }
}

public static class DbCommandExtensions
{
    /// <summary>Adds a named parameter (<c>@name</c>, which both providers read the same); null is SQL NULL.</summary>
    public static DbCommand AddParameter(this DbCommand command, string name, object? value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value ?? DBNull.Value;
        command.Parameters.Add(parameter);
        return command;
    }
}
