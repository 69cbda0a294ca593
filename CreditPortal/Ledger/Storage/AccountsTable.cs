namespace CreditPortal.Ledger.Storage;

/// <summary>The writer's statements on "Accounts" (Ledger/Account.cs; EF maps the same columns in Data/AccountConfiguration.cs).</summary>
internal sealed class AccountsTable
{
    private static void Columns(ColumnValues c, Account a) => c
        .Set("Name", a.Name)
        .Set("TimeZoneId", a.TimeZoneId)
        .Set("BillingContacts", a.BillingContacts)
        .Set("ProductTypes", a.ProductTypes)
        .Set("HoldWhenOutOfCredits", a.HoldWhenOutOfCredits)
        .Set("CreatedAt", a.CreatedAt)
        .Set("NextTopUpAt", a.NextTopUpAt)
        .Set("NextDueAt", a.NextDueAt);

    private readonly RowInsert<Account> _insert;
    private readonly RowUpdate<Account> _update;
    private readonly SqlStatement _setNextDue;
    private readonly SqlStatement _select;
    private readonly SqlStatement? _lock;

    /// <summary>The PostgreSQL-only column that counts the batches that touched the account (PostgreSqlDbContext). Never
    /// written by <see cref="Insert"/> or <see cref="Update"/>: only <see cref="Lock"/> moves it.</summary>
    public const string VersionColumn = "Version";

    public AccountsTable(StatementSet statements)
    {
        _insert = statements.Insert<Account>("Accounts", Columns, returning: "Id");
        _update = statements.Update<Account>("Accounts", Columns, a => a.Id);
        _setNextDue = statements.Prepare("Accounts.SetNextDue", """UPDATE "Accounts" SET "NextDueAt" = @at WHERE "Id" = @id""");
        _select = statements.Prepare("Accounts.Select", """
            SELECT "Id", "Name", "TimeZoneId", "BillingContacts", "ProductTypes", "HoldWhenOutOfCredits", "CreatedAt", "NextTopUpAt", "NextDueAt"
            FROM "Accounts" WHERE "Id" = @id
            """);
        // Unhooked: taking the lock is no change of the command's own, so it opens no savepoint (the consumption
        // path has none) and stays when a later command of the batch fails.
        if (!statements.Dialect.IsSqlite)
            _lock = statements.PrepareUnhooked("Accounts.Lock", $"""
                UPDATE "Accounts" SET "{VersionColumn}" = "{VersionColumn}" + 1 WHERE "Id" = @id RETURNING "{VersionColumn}"
                """);
    }

    /// <summary>Whether the writer must lock each account it touches (several instances on one PostgreSQL server).</summary>
    public bool Locks => _lock is not null;

    /// <summary>Takes the account's row lock until the batch ends (another instance's writer waits for it) and moves its
    /// version on; returns the new version, or null when there is no such account.</summary>
    public long? Lock(long accountId)
    {
        using var r = _lock!.Set("@id", accountId).Query();
        return r.Read() ? r.Long(VersionColumn) : null;
    }

    /// <summary>Stores a new account and returns its id.</summary>
    public long Insert(Account account) => _insert.InsertReturning(account);

    public void Update(Account account) => _update.Update(account);

    /// <summary>What the scheduler queries to find due accounts.</summary>
    public void SetNextDue(long accountId, DateTimeOffset? at) => _setNextDue.Set("@id", accountId).Set("@at", at).Execute();

    public Account? Find(long accountId)
    {
        using var r = _select.Set("@id", accountId).Query();
        if (!r.Read()) return null;
        return new Account
        {
            Id = r.Long("Id"), Name = r.Text("Name"), TimeZoneId = r.Text("TimeZoneId"), BillingContacts = r.List("BillingContacts"),
            ProductTypes = r.List("ProductTypes"), HoldWhenOutOfCredits = r.Flag("HoldWhenOutOfCredits"), CreatedAt = r.Instant("CreatedAt"),
            NextTopUpAt = r.NullableInstant("NextTopUpAt"), NextDueAt = r.NullableInstant("NextDueAt"),
        };
    }
}
