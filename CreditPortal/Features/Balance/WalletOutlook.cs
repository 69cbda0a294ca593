namespace CreditPortal.Features.Balance;

/// <summary>What a wallet spent recently, in the account's local days.</summary>
/// <param name="MessagesThisMonth">Messages sent (accepted) since the local month started.</param>
/// <param name="CreditsThisMonth">Credits drawn for them.</param>
/// <param name="RefusedThisMonth">Send requests refused this month (cap, limit, credits).</param>
/// <param name="CreditsLast30Days">Credits drawn over the last 30 local days, today included.</param>
/// <param name="MessagesLast30Days">Messages sent over the same days.</param>
public sealed record UsageSummary(long MessagesThisMonth, long CreditsThisMonth, long RefusedThisMonth, long CreditsLast30Days, long MessagesLast30Days);

/// <summary>A wallet's recent usage and where it leads.</summary>
public sealed record WalletOutlook(UsageSummary Usage, CreditForecast Forecast);
