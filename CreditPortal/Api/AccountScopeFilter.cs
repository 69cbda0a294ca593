using System.Collections.Concurrent;
using System.Globalization;
using CreditPortal.Data;
using Microsoft.EntityFrameworkCore;

namespace CreditPortal.Api;

/// <summary>
/// Every endpoint under <c>/api/v1/accounts/{accountId}</c>: an account key acts only on its own account;
/// any other id answers 404, exactly like an account that does not exist (never 403, so ids cannot be
/// probed). For a support key the account must exist.
/// </summary>
public sealed class AccountScopeFilter(KnownAccounts accounts) : IEndpointFilter
{
    public const string RouteKey = "accountId";

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var caller = ApiCaller.Of(http);
        var accountId = RouteAccountId(http);
        if (accountId is not { } id) return ApiProblems.NotFound("Account not found.");
        if (!caller.MayActOn(id) || (caller.IsSupport && !await accounts.ExistsAsync(id, http.RequestAborted)))
            return ApiProblems.AccountNotFound(id);
        return await next(context);
    }

    public static long? RouteAccountId(HttpContext http)
        => http.Request.RouteValues.TryGetValue(RouteKey, out var value) && value is string s
           && long.TryParse(s, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var id)
            ? id
            : null;
}

/// <summary>Support endpoints: an account key gets 403 (after <see cref="AccountScopeFilter"/> already answered
/// 404 for another account's id).</summary>
public sealed class SupportOnlyFilter : IEndpointFilter
{
    public ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
        => ApiCaller.Of(context.HttpContext).IsSupport ? next(context) : ValueTask.FromResult<object?>(ApiProblems.SupportOnly());
}

/// <summary>Which account ids exist. Accounts are never deleted, so a positive answer is cached for good.</summary>
public sealed class KnownAccounts(IDbContextFactory<CreditPortalDbContext> dbFactory)
{
    private readonly ConcurrentDictionary<long, bool> _known = new();

    public async ValueTask<bool> ExistsAsync(long accountId, CancellationToken ct = default)
    {
        if (_known.ContainsKey(accountId)) return true;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (!await db.Accounts.AnyAsync(a => a.Id == accountId, ct)) return false;
        _known[accountId] = true;
        return true;
    }
}

/// <summary>Marks an endpoint as support-only in its metadata, so tools (the access-matrix test, OpenAPI
/// readers) can see what the <see cref="SupportOnlyFilter"/> enforces.</summary>
public sealed class SupportOnlyMetadata;

public static class SupportOnlyEndpointExtensions
{
    /// <summary>Only a support key may call this endpoint (account keys get 403).</summary>
    public static TBuilder RequireSupportKey<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder
        => builder.AddEndpointFilter<TBuilder, SupportOnlyFilter>().WithMetadata(new SupportOnlyMetadata());
}
