using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace CreditPortal.Data;

/// <summary>
/// The portal's model on PostgreSQL, with its own migration set (Data/Migrations/PostgreSQL): EF Core finds a
/// context's migrations by its type, so the SQLite set stays as it is. Values are stored as in SQLite
/// (<see cref="StoredValues"/>: money and instants as bigint, enums and dates as text), so the hand-written SQL reads
/// the same on both; flags are PostgreSQL booleans.
/// </summary>
public sealed class PostgreSqlDbContext(DbContextOptions<PostgreSqlDbContext> options) : CreditPortalDbContext(options)
{
    public static DbContextOptionsBuilder Configure(DbContextOptionsBuilder options, string connectionString)
        => options.UseNpgsql(connectionString);

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        // SQLite's NOCASE (list names unique whatever their case) as an ICU collation of the same name.
        builder.HasCollation("NOCASE", locale: "und-u-ks-level2", provider: "icu", deterministic: false);
        // Several instances share this database: each batch of a ledger writer that touches an account locks its row
        // and moves this on, and a writer trusts its cached copy only while it has not moved (Ledger/Engine/AccountCache).
        // SQLite has one writer, so the column exists only here.
        builder.Entity<CreditPortal.Ledger.Account>().Property<long>(CreditPortal.Ledger.Storage.AccountsTable.VersionColumn).HasDefaultValue(0L);
    }

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        base.ConfigureConventions(configurationBuilder);
        // yyyy-MM-dd text, as EF Core stores DateOnly in SQLite: one encoding for the hand-written SQL.
        configurationBuilder.Properties<DateOnly>().HaveConversion<DateTextConverter>();
        // A JSON array in text, as EF Core stores primitive collections in SQLite (Npgsql would make them text[]).
        configurationBuilder.Properties<List<string>>().HaveConversion<ListTextConverter, ListComparer>();
    }
}

/// <summary>A local date as <c>yyyy-MM-dd</c> text (<see cref="StoredValues.Date(DateOnly)"/>).</summary>
public sealed class DateTextConverter() : Microsoft.EntityFrameworkCore.Storage.ValueConversion.ValueConverter<DateOnly, string>(
    v => StoredValues.Date(v),
    v => StoredValues.Date(v));

/// <summary>A list of strings as a JSON array in text (<see cref="StoredValues.List(IEnumerable{string})"/>).</summary>
public sealed class ListTextConverter() : Microsoft.EntityFrameworkCore.Storage.ValueConversion.ValueConverter<List<string>, string>(
    v => StoredValues.List(v),
    v => StoredValues.List(v));

/// <summary>Lists compare by their items, so EF Core sees a changed item as a change.</summary>
public sealed class ListComparer() : Microsoft.EntityFrameworkCore.ChangeTracking.ValueComparer<List<string>>(
    (a, b) => a == null ? b == null : b != null && a.SequenceEqual(b),
    v => v.Aggregate(0, (hash, item) => HashCode.Combine(hash, item.GetHashCode())),
    v => v.ToList());

/// <summary>For <c>dotnet ef migrations add Name --context PostgreSqlDbContext --output-dir Data/Migrations/PostgreSQL</c>:
/// generating a migration needs no server.</summary>
public sealed class PostgreSqlDesignTimeFactory : IDesignTimeDbContextFactory<PostgreSqlDbContext>
{
    public PostgreSqlDbContext CreateDbContext(string[] args)
        => new((DbContextOptions<PostgreSqlDbContext>)PostgreSqlDbContext.Configure(new DbContextOptionsBuilder<PostgreSqlDbContext>(),
            "Host=localhost;Database=creditportal").Options);
}

/// <summary>
/// For <c>dotnet ef migrations add Name --context CreditPortalDbContext</c> (the SQLite set in <c>Data/Migrations</c>).
/// Without a factory of its own, the tools built the SQLite context through <see cref="PostgreSqlDesignTimeFactory"/>
/// (its context derives from this one) and wrote a PostgreSQL migration into the SQLite set. No file is opened.
/// </summary>
public sealed class SqliteDesignTimeFactory : IDesignTimeDbContextFactory<CreditPortalDbContext>
{
    public CreditPortalDbContext CreateDbContext(string[] args)
        => new(new DbContextOptionsBuilder<CreditPortalDbContext>().UseSqlite("Data Source=design-time.db").Options);
}

