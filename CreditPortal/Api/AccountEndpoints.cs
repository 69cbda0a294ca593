using CreditPortal.Data;
using CreditPortal.Identity;
using CreditPortal.Ledger;
using CreditPortal.Ledger.Commands;
using Microsoft.EntityFrameworkCore;

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
    public const int MaxSearchResults = 100;

    public static void Map(RouteGroupBuilder api)
    {
        api.MapPost("/accounts", CreateAsync)
            .AddEndpointFilter<SupportOnlyFilter>()
            .JsonBody<NewAccountBody>("name")
            .Produces<IdAnswer>(StatusCodes.Status201Created)
            .WithSummary("Support key: creates an account (and its owner's login when ownerEmail and ownerPassword are given).");
        api.MapGet("/accounts", SearchAsync)
            .AddEndpointFilter<SupportOnlyFilter>()
            .Produces<List<ListAnswer>>()
            .WithSummary("Support key: accounts whose name contains `search` (or whose id is `search`), by name, at most 100.");
    }

    private static async Task<IResult> CreateAsync(HttpContext http, CreditLedger ledger, CreditsOptions options, PortalUsers users)
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
            var created = await users.CreateOwnerAsync(id, login.Email, login.Password);
            if (!created.Succeeded)
            {
                // Only a race can get here (the same email taken between the check and now): the account stays,
                // without a login; say so rather than pretend.
                throw new ApiConflictException("owner_not_created",
                    $"Account {id} was created, but its owner login was not: {string.Join(" ", created.Errors.Select(e => e.Description))}", "ownerEmail");
            }
            await ledger.RecordAuditAsync(id, actor, "owner.login.created", null, login.Email, null);
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

    private static async Task<IResult> SearchAsync(HttpContext http, IDbContextFactory<CreditPortalDbContext> dbFactory)
    {
        var search = http.Request.Query["search"].ToString().Trim();
        if (search.Length > 200) throw new LedgerValidationException("search", "search must be at most 200 characters.");
        await using var db = await dbFactory.CreateDbContextAsync(http.RequestAborted);
        var query = db.Accounts.AsNoTracking();
        if (search.Length > 0)
        {
            var pattern = "%" + search.Replace("\\", "\\\\").Replace("%", "\\%").Replace("_", "\\_") + "%";
            var id = long.TryParse(search, out var n) ? n : -1;
            query = query.Where(a => a.Id == id || EF.Functions.Like(a.Name, pattern, "\\"));
        }
        var found = await query.OrderBy(a => a.Name).ThenBy(a => a.Id).Take(MaxSearchResults)
            .Select(a => new ListAnswer(a.Id, a.Name)).ToListAsync(http.RequestAborted);
        return TypedResults.Json(found, ApiJsonContext.Wire.ListListAnswer);
    }
}
