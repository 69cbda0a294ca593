using CreditPortal.Identity;
using CreditPortal.Ledger;
using CreditPortal.Ledger.Commands;
using CreditPortal.Support;

namespace CreditPortal.Api;

public sealed record NewAccountBody(string? Name, string? TimeZone, List<string>? ProductTypes, List<string>? BillingContacts, string? OwnerEmail,
    string? OwnerPassword);

/// <summary>
/// Support: <c>POST /api/v1/accounts</c> and <c>GET /api/v1/accounts?search=</c>. Creating an account with
/// <c>ownerEmail</c> and <c>ownerPassword</c> also creates the owner's portal login; every input (the
/// password policy and a free email included) is checked before anything is created, so a bad request
/// changes nothing.
/// </summary>
public static class AccountEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        api.MapPost("/accounts", CreateAsync)
            .RequireSupportKey()
            .RequireRateLimiting(Security.SecurityServiceCollectionExtensions.CreationPolicy)
            .JsonBody<NewAccountBody>("name")
            .Produces<IdAnswer>(StatusCodes.Status201Created)
            .WithSummary("Support key: creates an account (and its owner's login when ownerEmail and ownerPassword are given).");
        api.MapGet("/accounts", SearchAsync)
            .RequireSupportKey()
            .Produces<List<ListAnswer>>()
            .WithSummary("Support key: accounts whose name or owner email contains `search`, or whose id it is; by name, at most 50.");
    }

    private static async Task<IResult> CreateAsync(HttpContext http, CreditLedger ledger, CreditsOptions options, PortalUsers users,
        OwnerLogins ownerLogins)
    {
        var body = await ApiBody.ReadAsync(http, ApiJsonContext.Wire.NewAccountBody);
        var name = Validate.Text(body.Name, "name", 200);
        var zone = body.TimeZone is null ? null : Validate.TimeZone(body.TimeZone);
        var types = Validate.ProductTypes(body.ProductTypes, options);
        var contacts = Validate.Emails(body.BillingContacts);
        var owner = await CheckOwnerAsync(body, users);
        var actor = ApiCaller.Of(http).Actor;

        var id = await ledger.CreateAccountAsync(new NewAccount(name, zone, types, contacts), actor);
        if (owner is { } login)
        {
            try
            {
                await ownerLogins.CreateAsync(id, login.Email, login.Password, actor);
            }
            catch (LedgerValidationException ex)
            {
                // Only a race gets here (the email taken between the check and now): the account stays, without a
                // login; say so rather than pretend.
                throw new ApiConflictException("owner_not_created", $"Account {id} was created, but its owner login was not: {ex.Message}", "ownerEmail");
            }
        }
        return TypedResults.Json(new IdAnswer(id), ApiJsonContext.Wire.IdAnswer, statusCode: StatusCodes.Status201Created);
    }

    private static async Task<(string Email, string Password)?> CheckOwnerAsync(NewAccountBody body, PortalUsers users)
    {
        if (body.OwnerEmail is null && body.OwnerPassword is null) return null;
        var email = ApiInput.Required(body.OwnerEmail, "ownerEmail").Trim();
        var password = ApiInput.Required(body.OwnerPassword, "ownerPassword");
        if (!Validate.IsEmail(email)) throw new LedgerValidationException("ownerEmail", $"'{email}' is not a valid email address.");
        var check = await users.ValidatePasswordAsync(email, password);
        if (check.Succeeded) return (email, password);
        if (check.Errors.FirstOrDefault(e => e.Code == "DuplicateEmail") is { } duplicate)
            throw new ApiConflictException("duplicate_email", duplicate.Description, "ownerEmail");
        throw new LedgerValidationException("ownerPassword", string.Join(" ", check.Errors.Select(e => e.Description)), "weak_password");
    }

    private static async Task<IResult> SearchAsync(HttpContext http, AccountDirectory directory)
    {
        var search = http.Request.Query["search"].ToString();
        if (search.Length > 200) throw new LedgerValidationException("search", "search must be at most 200 characters.");
        var found = await directory.SearchAsync(search, http.RequestAborted);
        return TypedResults.Json(found.Select(a => new ListAnswer(a.Id, a.Name)).ToList(), ApiJsonContext.Wire.ListListAnswer);
    }
}
