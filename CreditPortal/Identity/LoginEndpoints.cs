using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;

namespace CreditPortal.Identity;

public static class LoginEndpoints
{
    /// <summary>
    /// Logout is a POST carrying the form's antiforgery token, so another site cannot sign a user out. The
    /// token is checked here rather than left to the antiforgery middleware: the middleware only looks at
    /// form content types, and a cross-site form posted as text/plain would slip past it.
    /// Logging out rotates the login's security stamp, so the session ends everywhere (issue #12): every copy of the
    /// cookie is refused at its next request and every open tab at its next revalidation (PortalSessions).
    /// </summary>
    public static IEndpointRouteBuilder MapLogout(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost("/account/logout", async (HttpContext http, [FromServices] IAntiforgery antiforgery, [FromServices] SignInManager<PortalUser> signIn,
            [FromServices] UserManager<PortalUser> users) =>
        {
            if (!await antiforgery.IsRequestValidAsync(http))
                return Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Missing or invalid antiforgery token",
                    detail: "Log out from the portal's own Log out button.");
            if (await users.GetUserAsync(http.User) is { } user) await users.UpdateSecurityStampAsync(user);
            await signIn.SignOutAsync();
            return Results.LocalRedirect("~/account/login");
        })
        .RequireAuthorization()
        .DisableAntiforgery();
        return endpoints;
    }
}
