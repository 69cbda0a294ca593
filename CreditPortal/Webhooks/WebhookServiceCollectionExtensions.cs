namespace CreditPortal.Webhooks;

public static class WebhookServiceCollectionExtensions
{
    /// <summary>Webhooks (issue #17): the service pages and the API call, and the dispatcher that derives and sends deliveries.</summary>
    public static IServiceCollection AddWebhooks(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<WebhookOptions>(configuration.GetSection(WebhookOptions.Section));
        services.AddSingleton<WebhookSecrets>();
        services.AddSingleton<WebhookSignal>();
        services.AddSingleton<WebhookService>();
        // Redirects are not followed: a receiver that moved must be registered again (a 3xx is a failed attempt, like any non-2xx).
        // The per-attempt limit is the dispatcher's (WebhookOptions.AttemptTimeout); HttpClient's own is only a backstop.
        services.AddHttpClient(WebhookDispatcher.HttpClientName, c => c.Timeout = TimeSpan.FromMinutes(1))
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false })
            .SetHandlerLifetime(TimeSpan.FromMinutes(5));
        services.AddSingleton<WebhookDispatcher>();
        services.AddHostedService(sp => sp.GetRequiredService<WebhookDispatcher>());
        return services;
    }
}
