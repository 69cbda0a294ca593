namespace CreditPortal.Ledger;

/// <summary>Configuration section <c>Credits</c>: the defaults of docs/domain.md §4, changeable without code.</summary>
public sealed class CreditsOptions
{
    public const string Section = "Credits";

    public string Currency { get; set; } = "EUR";
    public string DefaultTimeZone { get; set; } = "Europe/Rome";

    /// <summary>R2: product type → monthly free email quota.</summary>
    public Dictionary<string, long> ProductTypes { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    public List<PackOption> EmailPacks { get; set; } = [];
    public List<PackOption> SmsPacks { get; set; } = [];

    /// <summary>R3: SMS packs are valid this many months (24).</summary>
    public int SmsValidityMonths { get; set; } = 24;

    /// <summary>Credits per SMS by ISO 3166 alpha-2 country; any other country is refused.</summary>
    public Dictionary<string, int> SmsCreditsPerMessage { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    public FreePlanOption FreePlan { get; set; } = new();
    public StandardPlanOption StandardPlan { get; set; } = new();

    /// <summary>R7: Pro's price per cycle by subscribers (its own tier table; Pro grants no credits, it is unmetered).</summary>
    public ProPlanOption ProPlan { get; set; } = new();

    /// <summary>R7: the largest subscriber count a plan accepts (Standard's credits and both prices follow it).</summary>
    public long MaxSubscriberCount { get; set; } = 1_000_000;
    public List<MonthlyTierOption> MonthlyPlanTiers { get; set; } = [];

    /// <summary>R10: auto-renew buys again when the remaining falls to this share of the last purchase.</summary>
    public int AutoRenewThresholdPercent { get; set; } = 10;

    /// <summary>R10: after a declined auto-renew payment, retry after each of these delays in turn.</summary>
    public List<TimeSpan> AutoRenewRetryDelays { get; set; } = [];

    public List<string> AlertKinds { get; set; } = [];

    /// <summary>Issue #17: an <c>ExpiringSoon</c> alert this many days before a lot with credits left expires (30, 7).
    /// Empty here, since binding appends to a list: the defaults are in appsettings.json.</summary>
    public List<int> ExpiryReminderDays { get; set; } = [];

    /// <summary>Issue #17: a hold may end at most this many days after it is placed (30), which bounds how long a lot's end can
    /// be outlived by its held credits (docs/domain.md §6, "Holds").</summary>
    public int MaxHoldDays { get; set; } = 30;
}

public sealed class PackOption
{
    public string Id { get; set; } = "";
    public long Credits { get; set; }
    public decimal Price { get; set; }
}

public sealed class FreePlanOption
{
    public long CreditsPerCycle { get; set; } = 15_000;
    public long DailySendLimit { get; set; } = 2_000;
}

public sealed class StandardPlanOption
{
    public long CreditsPerSubscriber { get; set; } = 12;
    public List<SubscriberTierOption> Tiers { get; set; } = [];
    public decimal PricePerSubscriberAbove { get; set; } = 0.006m;
}

public sealed class ProPlanOption
{
    public List<SubscriberTierOption> Tiers { get; set; } = [];
    public decimal PricePerSubscriberAbove { get; set; } = 0.013m;
}

public sealed class SubscriberTierOption
{
    public long UpToSubscribers { get; set; }
    public decimal Price { get; set; }
}

public sealed class MonthlyTierOption
{
    public long Credits { get; set; }
    public decimal Price { get; set; }
}
