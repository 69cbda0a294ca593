using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Authentication;
using Microsoft.OpenApi;
using Scalar.AspNetCore;

namespace CreditPortal.Api;

/// <summary>The HTTP API v1 (docs/api.md): registration and routes, called from Program.cs.</summary>
public static class ApiServiceCollectionExtensions
{
    public static IServiceCollection AddCreditPortalApi(this IServiceCollection services)
    {
        services.AddSingleton<ApiKeyService>();
        services.AddSingleton<KnownAccounts>();
        services.AddSingleton<RefillLinks>();
        services.AddHostedService<ApiKeyBootstrap>();

        services.AddAuthentication()
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyDefaults.Scheme, null);
        services.AddAuthorization(o => o.AddPolicy(ApiKeyDefaults.Policy, p => p
            .AddAuthenticationSchemes(ApiKeyDefaults.Scheme)
            .RequireAuthenticatedUser()));

        // The same generated JSON contract for the OpenAPI document as for the endpoints.
        services.ConfigureHttpJsonOptions(o =>
        {
            o.SerializerOptions.TypeInfoResolverChain.Insert(0, ApiJsonContext.Default);
            o.SerializerOptions.Converters.Add(new JsonStringEnumConverter());
        });
        services.AddOpenApi(o =>
        {
            o.ShouldInclude = d => d.RelativePath?.StartsWith("api/", StringComparison.Ordinal) == true;
            o.AddOperationTransformer<JsonBodyOperationTransformer>();
            o.AddDocumentTransformer((document, _, _) =>
            {
                document.Info = new OpenApiInfo
                {
                    Title = "CreditPortal API", Version = "v1",
                    Description = "Prepaid sending credits for sending systems and support scripts. Authorization: Bearer <api key>. "
                        + "Errors are application/problem+json with a top-level machine `code`.",
                };
                document.Components ??= new OpenApiComponents();
                document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
                document.Components.SecuritySchemes["Bearer"] = new OpenApiSecurityScheme
                {
                    Type = SecuritySchemeType.Http, Scheme = "bearer", Description = "An account key or a support key.",
                };
                document.Security ??= [];
                document.Security.Add(new OpenApiSecurityRequirement
                {
                    [new OpenApiSecuritySchemeReference("Bearer", document)] = [],
                });
                return Task.CompletedTask;
            });
        });
        return services;
    }

    /// <summary>Where the interactive API reference (Scalar) is served.</summary>
    public const string ApiReferencePath = "/api/reference";

    /// <summary>
    /// <c>/api/v1/...</c> behind API keys (never the login cookie, no antiforgery: nothing is ambient), errors
    /// mapped in <see cref="ApiErrorFilter"/>, account ids scoped by <see cref="AccountScopeFilter"/>; the
    /// OpenAPI document at <c>/openapi/v1.json</c> (anonymous).
    /// </summary>
    public static IEndpointRouteBuilder MapCreditPortalApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapOpenApi().AllowAnonymous();
        StripeWebhookEndpoints.Map(endpoints); // signed by Stripe, not by an API key
        // The interactive reference over that document (issue #12): public like the document; calls made from it still
        // need an API key.
        endpoints.MapScalarApiReference(ApiReferencePath, o => o
                .WithTitle("CreditPortal API")
                .WithOpenApiRoutePattern("/openapi/{documentName}.json"))
            .AllowAnonymous();

        var api = endpoints.MapGroup("/api/v1")
            .RequireAuthorization(ApiKeyDefaults.Policy)
            .DisableAntiforgery()
            .AddEndpointFilter<ApiErrorFilter>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status404NotFound);
        CatalogEndpoints.Map(api);
        AccountEndpoints.Map(api);
        ClockEndpoints.Map(api, endpoints.ServiceProvider);
        SupportKeyEndpoints.Map(api);
        Health.HealthEndpoints.MapDetails(api);

        var account = api.MapGroup("/accounts/{" + AccountScopeFilter.RouteKey + ":long}")
            .AddEndpointFilter<AccountScopeFilter>();
        WalletEndpoints.Map(account);
        ListEndpoints.Map(account);
        SettingsEndpoints.Map(account);
        ConsumptionEndpoints.Map(account);
        HoldEndpoints.Map(account);
        OrderEndpoints.Map(account);
        HistoryEndpoints.Map(account);
        ApiKeyEndpoints.Map(account);
        WebhookEndpoints.Map(account);
        AdjustmentEndpoints.Map(account);
        ReportEndpoints.Map(account);
        SupportKeyEndpoints.MapAccount(account);

        // Anything else under /api answers like the API (problem+json), not with the portal's HTML page.
        endpoints.MapFallback("/api/{**path}", (HttpContext http) => ApiProblems.NotFound(
                $"There is no endpoint {http.Request.Method} {http.Request.Path}; see /openapi/v1.json."))
            .AllowAnonymous()
            .DisableAntiforgery()
            .ExcludeFromDescription();
        return endpoints;
    }
}
