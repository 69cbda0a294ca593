namespace CreditPortal.Identity;

public static class PortalRoles
{
    public const string Owner = "Owner";
    public const string Support = "Support";

    public static readonly string[] All = [Owner, Support];
}
