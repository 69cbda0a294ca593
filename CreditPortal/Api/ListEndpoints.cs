using CreditPortal.Ledger;

namespace CreditPortal.Api;

public sealed record NameBody(string? Name);

public sealed record IdAnswer(long Id);

public sealed record ListAnswer(long Id, string Name);

public sealed record AllocationBody(string? Channel, string? Mode, long? Assigned, string? Reason);

public sealed record CapBody(string? Channel, bool? Enabled, long? PerMonth, string? Reason);

/// <summary>
/// Lists (R4 allocation, R6 cap). A support key must give a <c>reason</c> when it changes an allocation or
/// a cap (R11: every support action has one in the audit trail).
/// </summary>
public static class ListEndpoints
{
    public static void Map(RouteGroupBuilder account)
    {
        account.MapPost("/lists", CreateAsync)
            .RequireManageScope()
            .JsonBody<NameBody>("name")
            .Produces<IdAnswer>(StatusCodes.Status201Created)
            .WithSummary("Creates a list: Shared on both channels, no cap. Names are unique per account (422 duplicate_list_name).");
        account.MapGet("/lists", ListAsync)
            .RequireManageScope()
            .Produces<List<ListAnswer>>();
        account.MapPut("/lists/{listId:long}/allocation", SetAllocationAsync)
            .RequireManageScope()
            .JsonBody<AllocationBody>("channel", "mode")
            .Produces<WalletListAnswer>()
            .WithSummary("R4: Shared, or Assigned with an amount carved out of the unassigned pool (more than is unassigned: 422 insufficient_unassigned).");
        account.MapPut("/lists/{listId:long}/cap", SetCapAsync)
            .RequireManageScope()
            .JsonBody<CapBody>("channel", "enabled")
            .Produces<WalletListAnswer>()
            .WithSummary("R6: a monthly cap in messages; perMonth is required when enabled.");
    }

    private static async Task<IResult> CreateAsync(HttpContext http, long accountId, CreditLedger ledger)
    {
        var body = await ApiBody.ReadAsync(http, ApiJsonContext.Wire.NameBody);
        var id = await ledger.CreateListAsync(accountId, Validate.Text(body.Name, "name", 200), ApiCaller.Of(http).Actor);
        return TypedResults.Json(new IdAnswer(id), ApiJsonContext.Wire.IdAnswer, statusCode: StatusCodes.Status201Created);
    }

    private static async Task<IResult> ListAsync(HttpContext http, long accountId, LedgerQueries queries)
    {
        var lists = await queries.GetListsAsync(accountId, http.RequestAborted);
        return TypedResults.Json(lists.Select(l => new ListAnswer(l.Id, l.Name)).ToList(), ApiJsonContext.Wire.ListListAnswer);
    }

    private static async Task<IResult> SetAllocationAsync(HttpContext http, long accountId, long listId, CreditLedger ledger, LedgerQueries queries)
    {
        var body = await ApiBody.ReadAsync(http, ApiJsonContext.Wire.AllocationBody);
        var channel = ApiInput.Enum<Channel>(body.Channel, "channel");
        var mode = ApiInput.Enum<AllocationMode>(body.Mode, "mode");
        if (mode == AllocationMode.Assigned) Validate.NonNegative(ApiInput.Required(body.Assigned, "assigned"), "assigned");
        else if (body.Assigned is { } a && a != 0)
            throw new LedgerValidationException("assigned", "assigned must be 0 or left out when mode is Shared.");
        var reason = Validate.OptionalText(body.Reason, "reason", 500);
        await ledger.SetAllocationAsync(accountId, listId, channel, mode, mode == AllocationMode.Assigned ? body.Assigned : null,
            ApiCaller.Of(http).Actor, reason);
        return await ListStateAsync(queries, accountId, listId, channel, http.RequestAborted);
    }

    private static async Task<IResult> SetCapAsync(HttpContext http, long accountId, long listId, CreditLedger ledger, LedgerQueries queries)
    {
        var body = await ApiBody.ReadAsync(http, ApiJsonContext.Wire.CapBody);
        var channel = ApiInput.Enum<Channel>(body.Channel, "channel");
        var enabled = ApiInput.Required(body.Enabled, "enabled");
        if (body.PerMonth is { } perMonth) Validate.NonNegative(perMonth, "perMonth");
        var reason = Validate.OptionalText(body.Reason, "reason", 500);
        await ledger.SetCapAsync(accountId, listId, channel, enabled, body.PerMonth, ApiCaller.Of(http).Actor, reason);
        return await ListStateAsync(queries, accountId, listId, channel, http.RequestAborted);
    }

    private static async Task<IResult> ListStateAsync(LedgerQueries queries, long accountId, long listId, Channel channel, CancellationToken ct)
    {
        var wallet = (await queries.GetWalletAsync(accountId, channel, ct))!;
        var list = wallet.Lists.First(l => l.Id == listId);
        return TypedResults.Json(WalletEndpoints.ToAnswer(list), ApiJsonContext.Wire.WalletListAnswer);
    }
}
