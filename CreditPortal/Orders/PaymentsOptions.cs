namespace CreditPortal.Orders;

/// <summary>
/// Configuration section <c>Payments</c> (docs/domain.md §5). <see cref="Provider"/> chooses the adapter behind
/// <see cref="IPaymentProvider"/>: <c>Stripe</c> takes real money, <c>Test</c> takes none (tok_ok / tok_decline; for
/// development and tests only, refused in Production), unset switches ordering off (<c>payments_not_configured</c>)
/// rather than guessing: an app that cannot take money must not hand out credits.
/// </summary>
public sealed class PaymentsOptions
{
    public const string Section = "Payments";
    public const string TestProvider = "Test";
    public const string StripeProvider = "Stripe";

    public string? Provider { get; set; }

    public bool IsConfigured => !string.IsNullOrWhiteSpace(Provider);

    public bool IsTest => string.Equals(Provider?.Trim(), TestProvider, StringComparison.OrdinalIgnoreCase);

    public bool IsStripe => string.Equals(Provider?.Trim(), StripeProvider, StringComparison.OrdinalIgnoreCase);

    public static PaymentsOptions From(IConfiguration configuration)
        => configuration.GetSection(Section).Get<PaymentsOptions>() ?? new PaymentsOptions();

    /// <summary>
    /// Refuses a start that would take no money where money is meant: the test provider pays with <c>tok_ok</c>
    /// without charging anyone, so in Production it would give credits away.
    /// </summary>
    public void EnsureAllowedIn(IHostEnvironment environment)
    {
        if (IsConfigured && !IsTest && !IsStripe)
            throw new InvalidOperationException($"Payments:Provider must be {StripeProvider}, {TestProvider} or unset, not '{Provider}'.");
        if (IsTest && environment.IsProduction())
            throw new InvalidOperationException(
                "Payments:Provider=Test is refused in the Production environment: the test provider takes no real money (tok_ok pays without " +
                "charging anyone), so it would give credits away. Configure Payments:Provider=Stripe (see README, \"Payments\"), or leave " +
                "Payments:Provider unset to switch ordering off.");
    }
}
