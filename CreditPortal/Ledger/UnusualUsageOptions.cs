namespace CreditPortal.Ledger;

/// <summary>
/// Configuration section <c>Alerts:UnusualUsage</c> (issue #17, docs/domain.md §6 "Unusual usage"): when the credits an
/// account's wallet took in the last full hour are at least <see cref="Factor"/> times the median of the same hour of
/// the week over the last <see cref="Weeks"/> weeks, and at least the channel's <see cref="Floor"/>, an
/// <c>UnusualUsage</c> alert names the lists and API keys responsible. The defaults were tuned on the demo account's
/// thirteen months (docs/domain.md §6 says how).
/// </summary>
public sealed class UnusualUsageOptions
{
    public const string Section = "Alerts:UnusualUsage";

    /// <summary>Off: the hourly check does not run.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>How many times the usual rate the last hour must reach.</summary>
    public decimal Factor { get; set; } = 5m;

    /// <summary>How many earlier weeks the usual rate (their median) is taken from.</summary>
    public int Weeks { get; set; } = 8;

    /// <summary>The fewest credits in an hour that can alert, per channel: below it no hour is unusual however quiet the
    /// same hour usually is (an email credit and an SMS credit are not worth the same, so each wallet has its own).</summary>
    public ChannelCredits Floor { get; set; } = new();

    /// <summary>After an alert for a wallet, no other one for the same wallet until this long has passed: a burst that
    /// lasts all night is one mail, not one an hour.</summary>
    public TimeSpan Cooldown { get; set; } = TimeSpan.FromHours(6);

    public long FloorOf(Channel channel) => channel == Channel.Sms ? Floor.Sms : Floor.Email;

    public sealed class ChannelCredits
    {
        public long Email { get; set; } = 15_000;
        public long Sms { get; set; } = 5_000;
    }
}
