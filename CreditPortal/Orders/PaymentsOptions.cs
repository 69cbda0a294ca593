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

    /// <summary><c>Payments:Stripe:*</c>: the secret API key and the webhook signing secret (give both through the
    /// environment or user secrets, never in a file of the repository).</summary>
    public StripeSettings Stripe { get; set; } = new();

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
        if (IsStripe && (string.IsNullOrWhiteSpace(Stripe.SecretKey) || string.IsNullOrWhiteSpace(Stripe.WebhookSecret)))
            throw new InvalidOperationException(
                "Payments:Provider=Stripe needs Payments:Stripe:SecretKey and Payments:Stripe:WebhookSecret (see README, \"Payments\"); " +
                "give them through the environment (Payments__Stripe__SecretKey) or user secrets.");
        if (IsTest && environment.IsProduction())
            throw new InvalidOperationException(
                "Payments:Provider=Test is refused in the Production environment: the test provider takes no real money (tok_ok pays without " +
                "charging anyone), so it would give credits away. Configure Payments:Provider=Stripe (see README, \"Payments\"), or leave " +
                "Payments:Provider unset to switch ordering off.");
    }
}

/// <summary><c>Payments:Stripe</c>.</summary>
public sealed class StripeSettings
{
    /// <summary>The secret key (<c>sk_live_…</c> or <c>sk_test_…</c>).</summary>
    public string? SecretKey { get; set; }

    /// <summary>The webhook endpoint's signing secret (<c>whsec_…</c>): a webhook whose signature does not match is refused.</summary>
    public string? WebhookSecret { get; set; }

    /// <summary>Where Stripe's API is; only tests point it elsewhere (a local fake of Stripe).</summary>
    public string? ApiBase { get; set; }

    /// <summary>How long one call to Stripe may take; past it the outcome is unknown and is looked up.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);
}
