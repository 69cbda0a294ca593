using CreditPortal.Ledger;

namespace CreditPortal.Components.Forms;

/// <summary>
/// A form's messages: one per field, shown next to that field, plus one for the form as a whole. The
/// service layer names the field each refusal is about (<see cref="LedgerRuleException.Field"/>,
/// <see cref="LedgerValidationException.Field"/>), so its own message lands where the person looks.
/// </summary>
public sealed class FormErrors
{
    private readonly Dictionary<string, string> _byField = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>A message about the whole form (or about a field the form does not show).</summary>
    public string? General { get; private set; }

    public string? this[string field] => _byField.GetValueOrDefault(field);

    public bool Any => General is not null || _byField.Count > 0;

    public void Clear()
    {
        _byField.Clear();
        General = null;
    }

    public void Set(string field, string message) => _byField[field] = message;

    public void SetGeneral(string message) => General = message;

    /// <summary>
    /// Takes a refusal from the service layer (nothing changed): its message goes to its field when the form
    /// shows that field, else to <see cref="General"/>. Returns false for anything that is not a refusal.
    /// </summary>
    public bool TryTake(Exception exception, params string[] fieldsOnForm)
    {
        var (field, message) = exception switch
        {
            LedgerRuleException e => (e.Field, e.Message),
            LedgerValidationException e => (e.Field, e.Message),
            LedgerNotFoundException e => (null, e.Message),
            IdempotencyConflictException e => (null, e.Message),
            _ => (null, (string?)null),
        };
        if (message is null) return false;
        if (field is not null && fieldsOnForm.Contains(field, StringComparer.OrdinalIgnoreCase)) Set(field, message);
        else General = message;
        return true;
    }
}
