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
}
