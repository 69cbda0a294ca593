using CreditPortal.Ledger;

namespace CreditPortal.Orders;

/// <summary>A pack in the catalogue (docs/domain.md §4). Email packs never expire (ValidityMonths null).</summary>
public sealed record Pack(string Id, Channel Channel, long Credits, decimal Price, string Currency, int? ValidityMonths);

/// <summary>R3 pack catalogue, from configuration.</summary>
public sealed class PackCatalog
{
    public PackCatalog(CreditsOptions options)
    {
        Packs = options.EmailPacks.Select(p => new Pack(p.Id, Channel.Email, p.Credits, p.Price, options.Currency, null))
            .Concat(options.SmsPacks.Select(p => new Pack(p.Id, Channel.Sms, p.Credits, p.Price, options.Currency, options.SmsValidityMonths)))
            .ToList();
    }

    public IReadOnlyList<Pack> Packs { get; }

    public Pack? Find(string? id) => Packs.FirstOrDefault(p => string.Equals(p.Id, id, StringComparison.OrdinalIgnoreCase));

    public IEnumerable<Pack> For(Channel channel) => Packs.Where(p => p.Channel == channel);
}
