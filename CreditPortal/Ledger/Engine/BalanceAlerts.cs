using CreditPortal.Alerts;
using CreditPortal.Formatting;
using CreditPortal.Ledger.Rules;
using CreditPortal.Ledger.State;
using CreditPortal.Ledger.Storage;

namespace CreditPortal.Ledger.Engine;

/// <summary>R10: low-balance alerts, or the auto-renew purchase that replaces them, after every change of a wallet's remaining.</summary>
public sealed class BalanceAlerts
{
    private readonly LedgerSession _session;
    private readonly LedgerStore _store;

    internal BalanceAlerts(LedgerSession session, LedgerStore store)
    {
        _session = session;
        _store = store;
    }

    /// <summary>
    /// Auto-renew on: at 10% or below of the last purchase, plan one purchase of the same pack. Off: one alert
    /// per threshold crossed (15%, 5%, 0), the most severe when several are crossed at once. Thresholds re-arm
    /// when the remaining rises above them.
    /// </summary>
    public void CheckThresholds(AccountState account, WalletState wallet, DateTimeOffset at)
    {
        if (Evaluate(wallet, wallet.Total) is not { } outcome) return;
        var row = wallet.Row;
        if (outcome.AutoRenew && row.AutoRenewPack is { } pack) _session.Records.PlanAutoRenew(account, wallet, pack, 1, at, at);
        if (outcome.Alert is { } alert) Raise(account, wallet.Channel, alert, at, LowBalanceText(alert, wallet.Channel, wallet.Total, row.LastPurchaseCredits));
        if (outcome.AutoRenewArmed == row.AutoRenewArmed && outcome.ArmedAlerts == row.ArmedAlerts) return;
        row.AutoRenewArmed = outcome.AutoRenewArmed;
        row.ArmedAlerts = outcome.ArmedAlerts;
        _session.Records.SaveWallet(wallet);
    }

    /// <summary>What a wallet left with <paramref name="total"/> credits would raise, and re-arm, without doing it
    /// (the send and its dry run both ask this); null when the wallet never bought credits.</summary>
    public ThresholdOutcome? Evaluate(WalletState wallet, long total)
    {
        var row = wallet.Row;
        var last = row.LastPurchaseCredits;
        if (last <= 0) return null;
        if (row.AutoRenew)
        {
            var low = BalanceThresholds.AtOrBelow(total, last, _session.Options.AutoRenewThresholdPercent);
            if (!low) return new ThresholdOutcome(null, false, row.ArmedAlerts, AutoRenewArmed: true);
            var renew = row.AutoRenewArmed && !wallet.HasPendingAutoRenew && row.AutoRenewPack is not null;
            return new ThresholdOutcome(null, renew, row.ArmedAlerts, AutoRenewArmed: row.AutoRenewArmed && !renew);
        }
        var armed = row.ArmedAlerts;
        AlertKind? fire = null;
        foreach (var (kind, percent, bit) in BalanceThresholds.Alerts)
        {
            if (BalanceThresholds.AtOrBelow(total, last, percent))
            {
                if ((armed & bit) != 0 && fire is null) fire = kind;
                armed &= ~bit;
            }
            else
            {
                armed |= bit;
            }
        }
        return new ThresholdOutcome(fire, false, armed, row.AutoRenewArmed);
    }

    /// <summary>The text of a low-balance alert, as recorded and mailed.</summary>
    public static string LowBalanceText(AlertKind kind, Channel channel, long total, long last) => kind switch
    {
        AlertKind.Depleted => $"Your {channel} credits are used up (last purchase: {PortalFormat.Credits(last)}).",
        _ => $"Your {channel} credits are down to {PortalFormat.Credits(total)}, {(kind == AlertKind.LowBalance5 ? "5%" : "15%")} or less of your last purchase of {PortalFormat.Credits(last)}.",
    };

    /// <summary>When the account's last alert of <paramref name="kind"/> for the wallet was raised (this batch's included), or null.</summary>
    public DateTimeOffset? LastRaisedAt(AccountState account, Channel channel, AlertKind kind) => _store.Alerts.LastAt(account.Id, channel, kind);

    /// <summary>Records an alert for the account's billing contacts; the mailer is woken after commit.</summary>
    public void Raise(AccountState account, Channel channel, AlertKind kind, DateTimeOffset at, string detail)
    {
        _store.Alerts.Insert(new Alert
        {
            AccountId = account.Id, Channel = channel, Kind = kind, At = at, Detail = detail,
            Recipients = string.Join(",", account.Row.BillingContacts),
        });
        _session.Effects.AlertRaised = true;
    }
}

/// <summary>R10's answer for a wallet's remaining: the alert to raise (if any), whether auto-renew buys now, and the
/// thresholds armed afterwards.</summary>
public readonly record struct ThresholdOutcome(AlertKind? Alert, bool AutoRenew, int ArmedAlerts, bool AutoRenewArmed);
