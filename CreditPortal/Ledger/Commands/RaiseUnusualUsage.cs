using System.Globalization;
using CreditPortal.Ledger.Engine;

namespace CreditPortal.Ledger.Commands;

/// <summary>
/// Issue #17: records the <c>UnusualUsage</c> alert the hourly check decided on, at most once per wallet and hour (the
/// hour's key is recorded with it, so a second instance or a run again after a crash adds nothing) and not within the
/// cool-down of the wallet's previous one (a burst that lasts all night is one mail). Dated at the end of the hour, also
/// when the check ran late after a downtime.
/// </summary>
public static class RaiseUnusualUsage
{
    public static bool Execute(LedgerSession s, long accountId, Channel channel, DateTimeOffset hourStart, TimeSpan cooldown, string detail)
    {
        var account = s.Load(accountId) ?? throw new LedgerNotFoundException($"Account {accountId}");
        var at = hourStart + Rules.UnusualUsage.Hour;
        if (!s.Due.RecordOnce(Key(accountId, channel, hourStart), at)) return false;
        if (s.Alerts.LastRaisedAt(account, channel, AlertKind.UnusualUsage) is { } last && at - last < cooldown) return false;
        s.Alerts.Raise(account, channel, AlertKind.UnusualUsage, at, detail);
        return true;
    }

    public static string Key(long accountId, Channel channel, DateTimeOffset hourStart)
        => string.Create(CultureInfo.InvariantCulture, $"unusual:{accountId}:{channel}:{hourStart.UtcTicks}");
}
