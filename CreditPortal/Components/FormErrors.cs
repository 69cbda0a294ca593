using CreditPortal.Ledger;

namespace CreditPortal.Components;

/// <summary>
/// The service layer's refusals, placed at the form field they are about (LedgerValidationException and
/// LedgerRuleException name it). Anything without a field is shown above the form.
/// </summary>
public sealed class FormErrors
{
    private readonly Dictionary<string, string> _byField = new(StringComparer.OrdinalIgnoreCase);

    public string? General { get; private set; }

    public string? this[string field] => _byField.GetValueOrDefault(field);

    public bool Any => General is not null || _byField.Count > 0;

    public void Clear()
    {
        _byField.Clear();
        General = null;
    }

    public void Set(string? field, string message)
    {
        if (field is null) General = message;
        else _byField[field] = message;
    }

    /// <summary>Records the refusal; returns false for an exception that is not a refusal (a real error).</summary>
    public bool Capture(Exception error)
    {
        if (Refusal(error) is not { } refusal) return false;
        Set(refusal.Field, refusal.Message);
        return true;
    }

    /// <summary>
    /// Like <see cref="Capture(Exception)"/>, but a refusal about a field the form does not show goes to
    /// <see cref="General"/>, so no message is lost (e.g. R8's <c>charge_now_unavailable</c> names "channel").
    /// </summary>
    public bool Capture(Exception error, params string[] fieldsOnForm)
    {
        if (Refusal(error) is not { } refusal) return false;
        var shown = refusal.Field is { } field && fieldsOnForm.Contains(field, StringComparer.OrdinalIgnoreCase);
        Set(shown ? refusal.Field : null, refusal.Message);
        return true;
    }

    private static (string? Field, string Message)? Refusal(Exception error) => error switch
    {
        LedgerValidationException v => (v.Field, v.Message),
        LedgerRuleException r => (r.Field, r.Message),
        LedgerNotFoundException n => (null, n.Message),
        IdempotencyConflictException c => (null, c.Message),
        HoldEndedException h => (null, h.Message),
        LedgerBusyException b => (null, b.Code == LedgerBusyException.StorageFull
            ? "The portal cannot record anything right now (its storage is full). Nothing was changed; please try again later."
            : "The portal is busy right now. Nothing was changed; please try again in a moment."),
        _ => null,
    };
}
