using CreditPortal.Clock;

namespace CreditPortal.Ledger.State;

/// <summary>The writer's working copy of one account. Loaded once from the database, then kept current
/// by the writer itself, which is the only code that changes ledger tables (with several instances on PostgreSQL, it
/// is trusted only while the account's version has not moved; see AccountCache).</summary>
public sealed class AccountState
{
    public AccountState(Account row, WalletState email, WalletState sms)
    {
        Row = row;
        PersistedNextDueAt = row.NextDueAt;
        Calendar = new AccountCalendar(row.TimeZoneId);
        Email = email;
        Sms = sms;
    }

    public Account Row { get; }

    /// <summary>The NextDueAt stored in the Accounts row, as opposed to the working value in <see cref="Row"/>.</summary>
    public DateTimeOffset? PersistedNextDueAt { get; set; }
    public long Id => Row.Id;
    public AccountCalendar Calendar { get; set; }
    public WalletState Email { get; }
    public WalletState Sms { get; }

    /// <summary>Names by id of the account's lists.</summary>
    public Dictionary<long, string> ListNames { get; } = [];

    public WalletState Wallet(Channel channel) => channel == Channel.Email ? Email : Sms;

    public IEnumerable<WalletState> Wallets { get { yield return Email; yield return Sms; } }

    /// <summary>The account row's version when this copy was last known to be current (PostgreSQL: every batch that
    /// touches the account adds one, on whichever instance; see AccountCache).</summary>
    public long Version { get; set; }

    /// <summary>The local day and month the usage counters belong to.</summary>
    public DateTimeOffset DayStart { get; set; }
    public DateTimeOffset DayEnd { get; set; }
    public DateTimeOffset MonthStart { get; set; }
    public DateTimeOffset MonthEnd { get; set; }

    /// <summary>Issue #17: credits of the sends of each API key in <see cref="KeyCreditsMonth"/> (read when first needed).</summary>
    public Dictionary<long, long> KeyCredits { get; } = [];

    /// <summary>Issue #17: the account's active holds by id (ended ones are only in the database).</summary>
    public Dictionary<long, HoldState> Holds { get; } = [];

    /// <summary>The local month (yyyy-MM) <see cref="KeyCredits"/> counts.</summary>
    public string? KeyCreditsMonth { get; set; }

    /// <summary>The instant that month started (compared with <see cref="MonthStart"/> to see the month turn).</summary>
    public DateTimeOffset KeyCreditsMonthStart { get; set; }
}
