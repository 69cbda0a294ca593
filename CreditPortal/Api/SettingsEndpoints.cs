using CreditPortal.Data;
using CreditPortal.Ledger;
using CreditPortal.Ledger.Commands;
using Microsoft.EntityFrameworkCore;

namespace CreditPortal.Api;

public sealed record SettingsBody(bool? HoldWhenOutOfCredits, Dictionary<string, bool>? AutoRenew, List<string>? BillingContacts, string? TimeZone,
    Dictionary<string, string?>? AutoRenewPack = null);

/// <param name="AutoRenewPack">Per channel, the pack auto-renew buys (null: the last pack bought).</param>
public sealed record SettingsAnswer(string Name, string TimeZone, bool HoldWhenOutOfCredits, Dictionary<string, bool> AutoRenew,
    IReadOnlyList<string> BillingContacts, Dictionary<string, string?> AutoRenewPack);

/// <summary><c>PUT .../settings</c>: R9 hold, R10 auto-renew per channel, billing contacts, time zone. Left-out fields stay.</summary>
public static class SettingsEndpoints
{
    public static void Map(RouteGroupBuilder account)
    {
        account.MapPut("/settings", UpdateAsync)
            .RequireManageScope()
            .JsonBody<SettingsBody>()
            .Produces<SettingsAnswer>()
            .WithSummary("Changes only the fields given; answers the settings as they are now.");
        account.MapGet("/settings", GetAsync)
            .RequireManageScope()
            .Produces<SettingsAnswer>();
    }

    private static async Task<IResult> UpdateAsync(HttpContext http, long accountId, CreditLedger ledger,
        IDbContextFactory<CreditPortalDbContext> dbFactory)
    {
        var body = await ApiBody.ReadAsync(http, ApiJsonContext.Wire.SettingsBody);
        Dictionary<Channel, bool>? autoRenew = null;
        if (body.AutoRenew is { } renew)
        {
            autoRenew = [];
            foreach (var (name, on) in renew)
                autoRenew[ApiInput.Enum<Channel>(name, "autoRenew." + name)] = on;
        }
        Dictionary<Channel, string?>? packs = null;
        if (body.AutoRenewPack is { } chosen)
        {
            packs = [];
            foreach (var (name, pack) in chosen)
                packs[ApiInput.Enum<Channel>(name, "autoRenewPack." + name)] = pack;
        }
        var contacts = body.BillingContacts is null ? null : Validate.Emails(body.BillingContacts);
        var zone = body.TimeZone is null ? null : Validate.TimeZone(body.TimeZone);
        await ledger.UpdateSettingsAsync(accountId, new SettingsChange(body.HoldWhenOutOfCredits, autoRenew, contacts, zone, packs), ApiCaller.Of(http).Actor);
        return await AnswerAsync(dbFactory, accountId, http.RequestAborted);
    }

    private static Task<IResult> GetAsync(HttpContext http, long accountId, IDbContextFactory<CreditPortalDbContext> dbFactory)
        => AnswerAsync(dbFactory, accountId, http.RequestAborted);

    private static async Task<IResult> AnswerAsync(IDbContextFactory<CreditPortalDbContext> dbFactory, long accountId, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var account = await db.Accounts.AsNoTracking().FirstOrDefaultAsync(a => a.Id == accountId, ct)
            ?? throw new LedgerNotFoundException($"Account {accountId}");
        var wallets = (await db.Wallets.AsNoTracking().Where(w => w.AccountId == accountId)
                .Select(w => new { w.Channel, w.AutoRenew, w.AutoRenewPackId }).ToListAsync(ct))
            .OrderBy(w => w.Channel).ToList();
        var autoRenew = wallets.ToDictionary(w => w.Channel.ToString(), w => w.AutoRenew);
        var packs = wallets.ToDictionary(w => w.Channel.ToString(), w => w.AutoRenewPackId);
        return TypedResults.Json(new SettingsAnswer(account.Name, account.TimeZoneId, account.HoldWhenOutOfCredits, autoRenew, account.BillingContacts, packs),
            ApiJsonContext.Wire.SettingsAnswer);
    }
}
