using CreditPortal.Ledger;
using Microsoft.AspNetCore.Http.Extensions;

namespace CreditPortal.Api;

/// <summary>The API's paged lists: <c>{items, next}</c>.</summary>
public sealed record PageAnswer<T>(IReadOnlyList<T> Items, string? Next);

/// <summary>
/// How every paged list reads its page and writes <c>next</c>: <c>limit</c> (1..1000, default 100) and <c>after</c>
/// (the cursor of the previous page) come in; <c>next</c> is null on the last page, otherwise a relative URL that
/// repeats the request's own filters with the new <c>after</c>, so a client follows it without building anything.
/// </summary>
public static class ApiPaging
{
    public static int Limit(HttpRequest request)
        => (int)(ApiInput.QueryLong(request.Query["limit"], "limit", 1, LedgerQueries.MaxPageSize) ?? LedgerQueries.DefaultPageSize);

    /// <summary>The history lists' cursor (<see cref="PageCursor"/>); anything else is a 400 naming <c>after</c>.</summary>
    public static PageRequest HistoryPage(HttpRequest request)
    {
        var after = request.Query["after"].ToString();
        if (after.Length == 0) return new PageRequest(Limit(request));
        return PageCursor.TryParse(after, out var cursor)
            ? new PageRequest(Limit(request), cursor)
            : throw new LedgerValidationException("after", "after must be the cursor of a next link, passed back unchanged.");
    }

    public static string? NextUrl(HttpRequest request, PageCursor? next) => next is { } n ? NextUrl(request, n.ToString()) : null;

    /// <summary>This request's path and query with <c>after</c> replaced by <paramref name="after"/>.</summary>
    public static string NextUrl(HttpRequest request, string after)
    {
        var query = new QueryBuilder();
        foreach (var (name, values) in request.Query)
        {
            if (string.Equals(name, "after", StringComparison.OrdinalIgnoreCase)) continue;
            foreach (var value in values) if (value is not null) query.Add(name, value);
        }
        query.Add("after", after);
        return request.PathBase.Add(request.Path) + query.ToQueryString().ToString();
    }
}
