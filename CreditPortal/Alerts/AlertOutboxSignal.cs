using CreditPortal.Scheduling;

namespace CreditPortal.Alerts;

/// <summary>Set after a ledger commit recorded an alert, so the mailer delivers it without polling delay.</summary>
public sealed class AlertOutboxSignal : AsyncSignal;
