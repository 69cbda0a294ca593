namespace CreditPortal.Demo;

/// <summary>Configuration section <c>Demo</c>. The logins are fixed so the README can print them; they are
/// only ever created when <c>Demo:Seed=true</c> (Development).</summary>
public sealed class DemoOptions
{
    public const string Section = "Demo";

    public bool Seed { get; set; }

    public const string AccountName = "Demo Newsletter Co.";
    public const string OwnerEmail = "owner@demo.creditportal.local";
    public const string OwnerPassword = "DemoOwner#2026";
    public const string SupportEmail = "support@demo.creditportal.local";
    public const string SupportPassword = "DemoSupport#2026";

    /// <summary>The name the demo's support login acts under in audit trails (never its email).</summary>
    public const string SupportDisplayName = "Demo Support";
}
