namespace CreditPortal.Ledger;

/// <summary>Who caused a change; stored on every ledger and audit entry as "kind:name".</summary>
public sealed record Actor(string Kind, string Name)
{
    public static readonly Actor System = new("system", "CreditPortal");

    public static Actor Owner(string email) => new("owner", email);
    public static Actor Support(string name) => new("support", name); // a display name, never an email (issue #12)
    public static Actor ApiKey(string name, long id) => new("api-key", $"{name} (#{id})");
    public static Actor SupportKey(string name, long id) => new("support-key", $"{name} (#{id})");

    public bool IsSupport => Kind is "support" or "support-key";

    public override string ToString() => $"{Kind}:{Name}";
}
