using System.Text.Json.Serialization;
using CreditPortal.Ledger;
using CreditPortal.Orders;

namespace CreditPortal.Api;

public sealed record WalletLotAnswer(long Id, LotKind Kind, long Quantity, long Remaining, DateTimeOffset? ExpiresAt);

public sealed record WalletListAnswer(long Id, string Name, AllocationMode Mode, long Assigned, bool CapEnabled, long? CapPerMonth, long SentThisMonth);

/// <param name="Total">Credits that can be drawn now (held ones excluded).</param>
/// <param name="Held">Issue #17: credits reserved by active holds, apart from <paramref name="Total"/>.</param>
public sealed record WalletAnswer(Channel Channel, Plan Plan, long Total, long Unassigned, int Queued, IReadOnlyList<WalletLotAnswer> Lots,
    IReadOnlyList<WalletListAnswer> Lists, long Held);

public sealed record PlanBody(string? Plan, long? SubscriberCount, long? MonthlyCredits, string? PaymentToken, string? IdempotencyKey);

/// <summary>The wallet's plan after the change; <see cref="Order"/> when the change was a paid order (R7).</summary>
public sealed record PlanAnswer(Channel Channel, Plan Plan, long? SubscriberCount, long? MonthlyCredits, DateTimeOffset? CycleEndsAt,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] OrderAnswer? Order);

/// <summary><c>GET .../wallets/{channel}</c> and <c>PUT .../wallets/{channel}/plan</c> (R7).</summary>
public static class WalletEndpoints
{
    public static void Map(RouteGroupBuilder account)
    {
        account.MapGet("/wallets/{channel}", GetAsync)
            .Produces<WalletAnswer>()
            .WithSummary("The wallet: totals, unexpired lots in consumption order (R1), lists; queued = number of queued consumptions. " +
                         "?at=<ISO-8601 instant>: the wallet as it was then, rebuilt from the ledger (issue #17).");
        account.MapPut("/wallets/{channel}/plan", ChangePlanAsync)
            .RequireManageScope()
            .JsonBody<PlanBody>("plan")
            .Produces<PlanAnswer>()
            .Produces<ApiProblem>(StatusCodes.Status402PaymentRequired)
            .WithSummary("R7: subscriberCount for Standard and Pro, monthlyCredits (a tier) for Monthly. Standard, Pro and Monthly are paid orders " +
                         "(paymentToken, idempotencyKey): charged first, declined → 402 payment_declined and nothing changes. Back from Monthly is 422 plan_switch_irreversible.");
    }

    /// <summary>A channel in the path names a wallet: an unknown one is not found.</summary>
    public static Channel PathChannel(string channel)
    {
        foreach (var name in Enum.GetNames<Channel>())
            if (string.Equals(name, channel, StringComparison.OrdinalIgnoreCase)) return Enum.Parse<Channel>(name);
        throw new LedgerNotFoundException($"Wallet '{channel}' (channels: {ApiInput.Names<Channel>()})");
    }

    private static async Task<IResult> GetAsync(HttpContext http, long accountId, string channel, LedgerQueries queries, WalletHistory history)
    {
        var wallet = ApiInput.Instant(http.Request.Query["at"].FirstOrDefault(), "at") is { } at
            ? await history.GetWalletAtAsync(accountId, PathChannel(channel), at, http.RequestAborted)
            : await queries.GetWalletAsync(accountId, PathChannel(channel), http.RequestAborted);
        if (wallet is null) throw new LedgerNotFoundException($"Account {accountId}");
        return TypedResults.Json(ToAnswer(wallet), ApiJsonContext.Wire.WalletAnswer);
    }

    public static WalletAnswer ToAnswer(WalletView w) => new(w.Channel, w.Plan, w.Total, w.Unassigned, w.Queued,
        w.Lots.Select(l => new WalletLotAnswer(l.Id, l.Kind, l.Quantity, l.Remaining, l.ExpiresAt)).ToList(),
        w.Lists.Select(ToAnswer).ToList(), w.Held);

    public static WalletListAnswer ToAnswer(ListView l) => new(l.Id, l.Name, l.Mode, l.Assigned, l.CapEnabled, l.CapPerMonth, l.SentThisMonth);

    private static async Task<IResult> ChangePlanAsync(HttpContext http, long accountId, string channel, OrderService orders, LedgerQueries queries)
    {
        var wallet = PathChannel(channel);
        var body = await ApiBody.ReadAsync(http, ApiJsonContext.Wire.PlanBody);
        var plan = ApiInput.Enum<Plan>(body.Plan, "plan");
        if (body.SubscriberCount is { } subscribers) Validate.Quantity(subscribers, "subscriberCount");
        if (body.MonthlyCredits is { } credits) Validate.Quantity(credits, "monthlyCredits");
        var result = await orders.ChangePlanAsync(accountId, wallet, plan, body.SubscriberCount, body.MonthlyCredits, body.PaymentToken,
            body.IdempotencyKey, ApiCaller.Of(http).Actor, http.RequestAborted);
        if (result.Order is { Status: OrderStatus.Declined } declined)
            return ApiProblems.Result(StatusCodes.Status402PaymentRequired,
                $"The payment was declined ({declined.DeclineReason}): the plan did not change and nothing was charged.", "payment_declined");
        var view = (await queries.GetWalletAsync(accountId, wallet, http.RequestAborted))!;
        return TypedResults.Json(new PlanAnswer(view.Channel, view.Plan, view.SubscriberCount, view.MonthlyCredits, view.CycleEndsAt,
            result.Order is { } o ? OrderEndpoints.ToAnswer(o) : null), ApiJsonContext.Wire.PlanAnswer);
    }
}
