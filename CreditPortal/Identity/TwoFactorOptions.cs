namespace CreditPortal.Identity;

/// <summary>Configuration section <c>TwoFactor</c> (issue #12).</summary>
public sealed class TwoFactorOptions
{
    public const string Section = "TwoFactor";

    /// <summary>
    /// Support staff can grant 10⁹ credits: their logins must set up an authenticator app before they may use the portal.
    /// On by default; <c>appsettings.Development.json</c> turns it off for the demo (whose logins are public anyway) and
    /// the tests of other features. Owners may turn two-factor login on for themselves.
    /// </summary>
    public bool RequiredForSupport { get; set; } = true;
}
