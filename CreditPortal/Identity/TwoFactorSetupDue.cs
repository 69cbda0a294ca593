using Microsoft.AspNetCore.Authorization;

namespace CreditPortal.Identity;

/// <summary>
/// Part of every portal policy: a support login without two-factor login (<see cref="TwoFactorOptions.RequiredForSupport"/>)
/// may use nothing but <see cref="PagePath"/> until it has set up an authenticator app (issue #12).
/// </summary>
public sealed class TwoFactorSetupDue : AuthorizationHandler<TwoFactorSetupDue>, IAuthorizationRequirement
{
    public const string PagePath = "/account/two-factor";

    public static string PageFor(string? returnUrl)
        => string.IsNullOrEmpty(returnUrl) || returnUrl == "/" ? PagePath : $"{PagePath}?returnUrl={Uri.EscapeDataString(returnUrl)}";

    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, TwoFactorSetupDue requirement)
    {
        if (!context.User.MustSetUpTwoFactor()) context.Succeed(requirement);
        return Task.CompletedTask;
    }
}
