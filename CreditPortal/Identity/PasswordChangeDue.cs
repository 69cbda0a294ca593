using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;

namespace CreditPortal.Identity;

/// <summary>
/// Part of every portal policy: a login whose password someone else chose (support, <c>add-support-user</c>) may use
/// nothing but <see cref="PagePath"/> until it has chosen its own (issue #12).
/// </summary>
public sealed class PasswordChangeDue : AuthorizationHandler<PasswordChangeDue>, IAuthorizationRequirement
{
    public const string PagePath = "/account/password";

    /// <summary>The password page, coming back to <paramref name="returnUrl"/> afterwards.</summary>
    public static string PageFor(string? returnUrl)
        => string.IsNullOrEmpty(returnUrl) || returnUrl == "/" ? PagePath : $"{PagePath}?returnUrl={Uri.EscapeDataString(returnUrl)}";

    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, PasswordChangeDue requirement)
    {
        if (!context.User.MustChangePassword()) context.Succeed(requirement);
        return Task.CompletedTask;
    }
}

/// <summary>A request refused only because the password must change, or two-factor login must be set up, goes to that
/// page, not to "access denied".</summary>
internal sealed class PortalAuthorizationResultHandler : IAuthorizationMiddlewareResultHandler
{
    private readonly AuthorizationMiddlewareResultHandler _default = new();

    public Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        if (authorizeResult.Forbidden && context.User.MustChangePassword()
            && authorizeResult.AuthorizationFailure?.FailedRequirements.OfType<PasswordChangeDue>().Any() == true)
        {
            context.Response.Redirect(PasswordChangeDue.PageFor(context.Request.Path + context.Request.QueryString));
            return Task.CompletedTask;
        }
        if (authorizeResult.Forbidden && context.User.MustSetUpTwoFactor()
            && authorizeResult.AuthorizationFailure?.FailedRequirements.OfType<TwoFactorSetupDue>().Any() == true)
        {
            context.Response.Redirect(TwoFactorSetupDue.PageFor(context.Request.Path + context.Request.QueryString));
            return Task.CompletedTask;
        }
        return _default.HandleAsync(next, context, policy, authorizeResult);
    }
}
