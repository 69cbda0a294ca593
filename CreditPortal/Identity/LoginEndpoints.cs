using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;

namespace CreditPortal.Identity;

public static class LoginEndpoints
{
    /// <summary>Logout is a POST with an antiforgery token so another site cannot sign a user out.</summary>
    public static IEndpointRouteBuilder MapLogout(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost("/account/logout", async ([FromServices] SignInManager<PortalUser> signIn) =>
        {
            await signIn.SignOutAsync();
            return TypedResults.LocalRedirect("~/account/login");
        })
        .RequireAuthorization()
        .WithMetadata(new Microsoft.AspNetCore.Antiforgery.RequireAntiforgeryTokenAttribute(true));
        return endpoints;
    }
}
