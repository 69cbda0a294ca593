using CreditPortal.Ledger;

namespace CreditPortal.Api;

/// <summary>
/// R9 "running low": the absolute address of the portal's refill page (Get Sendings, on the channel) that a sending
/// system can show its user. <c>Portal:BaseUrl</c> when configured (behind a proxy the request's own host may be an
/// internal one); otherwise the scheme, host and path base of the request that asked.
/// </summary>
public sealed class RefillLinks(IConfiguration configuration)
{
    private readonly string? _base = configuration["Portal:BaseUrl"] is { Length: > 0 } configured ? configured.TrimEnd('/') : null;

    public string For(HttpRequest request, long accountId, Channel channel)
    {
        var root = _base ?? $"{request.Scheme}://{request.Host}{request.PathBase}";
        return $"{root}/accounts/{accountId}/get-sendings?channel={channel}";
    }
}
