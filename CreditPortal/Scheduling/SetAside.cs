namespace CreditPortal.Scheduling;

/// <summary>
/// A kind of scheduled work, for one account or (<see cref="AccountId"/> null) as a whole, that failed and waits
/// until <see cref="RetryAt"/> before it is tried again.
/// </summary>
public sealed record SetAside(string Kind, long? AccountId, int Failures, DateTimeOffset Since, DateTimeOffset RetryAt, string Error);
