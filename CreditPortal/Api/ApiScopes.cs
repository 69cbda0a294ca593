using CreditPortal.Ledger;

namespace CreditPortal.Api;

/// <summary>
/// What an account API key may do (docs/api.md). <c>send</c>: consume, and read wallets, consumptions, history and
/// reports — what a sending system needs, and the default for a new key. <c>manage</c> adds what moves money or
/// changes the account: plans, orders, charge now, settings, lists, allocations and caps. A key that leaks from a
/// sending system then cannot buy, change plans or move credits between lists. Support keys have every scope.
/// </summary>
public static class ApiScopes
{
    public const string Send = "send";
    public const string Manage = "manage";

    public static readonly IReadOnlyList<string> Default = [Send];

    /// <summary>Every scope: what a support key can do on any account.</summary>
    public static readonly IReadOnlyList<string> All = [Send, Manage];

    /// <summary>What a key created before scopes existed keeps: everything it could do then.</summary>
    public const string Legacy = Send + " " + Manage;

    /// <summary>The requested scopes, checked; <c>manage</c> includes <c>send</c>. Null or empty: the default.</summary>
    public static IReadOnlyList<string> Parse(IEnumerable<string?>? requested)
    {
        var scopes = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var scope in requested ?? [])
        {
            if (scope is not (Send or Manage))
                throw new LedgerValidationException("scopes", $"'{scope}' is not a scope; the scopes are \"{Send}\" and \"{Manage}\".");
            scopes.Add(scope);
        }
        if (scopes.Count == 0) return Default;
        return scopes.Contains(Manage) ? [Send, Manage] : [Send];
    }

    public static string ToStored(IReadOnlyList<string> scopes) => string.Join(' ', scopes);

    public static IReadOnlyList<string> FromStored(string? stored)
        => string.IsNullOrWhiteSpace(stored) ? Default : stored.Split(' ', StringSplitOptions.RemoveEmptyEntries);
}

/// <summary>Marks an endpoint as needing a scope, for the filter and for readers of the metadata (the access-matrix test).</summary>
public sealed record RequiredScopeMetadata(string Scope);

/// <summary>An account key without the endpoint's scope gets 403 <c>insufficient_scope</c>. Runs after the account
/// filter, so another account's id is still 404 (ids are not probed) before the scope is looked at.</summary>
public sealed class RequiredScopeFilter(string scope) : IEndpointFilter
{
    public ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
        => ApiCaller.Of(context.HttpContext).HasScope(scope)
            ? next(context)
            : ValueTask.FromResult<object?>(ApiProblems.Result(StatusCodes.Status403Forbidden,
                $"This API key does not have the \"{scope}\" scope. Ask support for a key with it.", "insufficient_scope"));
}

public static class RequiredScopeExtensions
{
    /// <summary>Only keys with the <c>manage</c> scope (and support keys) may call this endpoint.</summary>
    public static TBuilder RequireManageScope<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder
        => builder.AddEndpointFilter<TBuilder>(new RequiredScopeFilter(ApiScopes.Manage)).WithMetadata(new RequiredScopeMetadata(ApiScopes.Manage));
}
