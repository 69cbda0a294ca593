namespace CreditPortal.Orders;

public static class PaymentsServiceCollectionExtensions
{
    /// <summary>The payment provider chosen by <c>Payments:Provider</c> (<see cref="PaymentsOptions"/>).</summary>
    public static IServiceCollection AddPayments(this IServiceCollection services, IConfiguration configuration)
    {
        var options = PaymentsOptions.From(configuration);
        services.AddSingleton(options);
        if (options.IsTest) services.AddSingleton<IPaymentProvider, TestPaymentProvider>();
        else if (options.IsStripe) services.AddSingleton<IPaymentProvider, StripePayments.StripePaymentProvider>();
        else services.AddSingleton<IPaymentProvider, UnconfiguredPaymentProvider>();
        return services;
    }
}
