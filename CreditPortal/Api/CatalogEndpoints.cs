using CreditPortal.Ledger;
using CreditPortal.Orders;

namespace CreditPortal.Api;

public sealed record PackAnswer(string Id, Channel Channel, long Credits, decimal Price, string Currency, int? ValidityMonths);

/// <summary><c>GET /api/v1/catalog</c>: the packs on sale (R3); validityMonths is null for packs that never expire.</summary>
public static class CatalogEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        api.MapGet("/catalog", (PackCatalog catalog) => TypedResults.Json(
                catalog.Packs.Select(p => new PackAnswer(p.Id, p.Channel, p.Credits, ApiMoney.Of(p.Price), p.Currency, p.ValidityMonths)).ToList(),
                ApiJsonContext.Wire.ListPackAnswer))
            .WithSummary("The pack catalogue.");
    }
}
