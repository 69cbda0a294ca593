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
        switch (error)
        {
            case LedgerValidationException v: Set(v.Field, v.Message); return true;
            case LedgerRuleException r: Set(r.Field, r.Message); return true;
            case LedgerNotFoundException n: Set(null, n.Message); return true;
            case IdempotencyConflictException c: Set(null, c.Message); return true;
            default: return false;
        }
    }
}
