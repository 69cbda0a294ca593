namespace CreditPortal.Ledger.Rules;

/// <summary>Credits per SMS by destination country (ISO 3166 alpha-2); any other country is refused.</summary>
public sealed class SmsRates(CreditsOptions options)
{
    public int? CreditsPerMessage(string? country)
        => country is { Length: 2 } && options.SmsCreditsPerMessage.TryGetValue(country, out var credits) ? credits : null;

    public IReadOnlyDictionary<string, int> All => options.SmsCreditsPerMessage;
}
