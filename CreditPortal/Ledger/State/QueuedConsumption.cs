namespace CreditPortal.Ledger.State;

/// <summary>R9: a consumption waiting its turn; released first-in first-out.</summary>
public sealed record QueuedConsumption(long Id, long ListId, long Quantity, long Credits);
