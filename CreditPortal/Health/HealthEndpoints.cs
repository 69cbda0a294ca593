using System.Text.Json;
using CreditPortal.Api;
using CreditPortal.Data;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace CreditPortal.Health;

/// <summary>
/// Health for load balancers and orchestrators, anonymous on purpose and without figures:
/// <list type="bullet">
/// <item><c>/health/live</c>: the process answers (no check: a restart would not cure a slow dependency).</item>
/// <item><c>/health/ready</c> (and <c>/health</c>, its older name): every check — database, writer heartbeat, queue
/// depth and oldest command, scheduler lag, mail backlog, free disk. 503 when one is Unhealthy; Degraded still
/// serves (200) and says so.</item>
/// </list>
/// Support reads the figures behind each check at <c>GET /api/v1/health</c> (support key).
/// </summary>
public static class HealthEndpoints
{
    public const string DatabaseCheck = "database";

    public static IHealthChecksBuilder AddPortalHealthChecks(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<HealthOptions>(configuration.GetSection(HealthOptions.Section));
        services.AddMetrics();
        services.AddSingleton<PortalMetrics>();
        AddTelemetry(services, configuration);
        return services.AddHealthChecks()
            .AddDbContextCheck<CreditPortalDbContext>(DatabaseCheck)
            .AddCheck<WriterHealthCheck>(WriterHealthCheck.Name)
            .AddCheck<SchedulerHealthCheck>(SchedulerHealthCheck.Name)
            .AddCheck<MailHealthCheck>(MailHealthCheck.Name)
            .AddCheck<WebhooksHealthCheck>(WebhooksHealthCheck.Name)
            .AddCheck<DiskHealthCheck>(DiskHealthCheck.Name)
            .AddCheck<ExportsHealthCheck>(ExportsHealthCheck.Name);
    }

    /// <summary>OpenTelemetry: the app's meter, ASP.NET Core's and the runtime's, and traces, exported over OTLP to
    /// <c>Telemetry:OtlpEndpoint</c> (e.g. <c>http://collector:4317</c>) when it is set; nothing is exported otherwise.</summary>
    private static void AddTelemetry(IServiceCollection services, IConfiguration configuration)
    {
        var endpoint = configuration["Telemetry:OtlpEndpoint"];
        if (string.IsNullOrWhiteSpace(endpoint)) return;
        services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService("CreditPortal"))
            .WithMetrics(m => m.AddMeter(PortalMetrics.MeterName).AddAspNetCoreInstrumentation().AddRuntimeInstrumentation()
                .AddOtlpExporter(o => o.Endpoint = new Uri(endpoint)))
            .WithTracing(t => t.AddAspNetCoreInstrumentation().AddOtlpExporter(o => o.Endpoint = new Uri(endpoint)));
    }

    public static IEndpointRouteBuilder MapPortalHealth(this IEndpointRouteBuilder endpoints)
    {
        var ready = new HealthCheckOptions { ResponseWriter = WriteSummaryAsync };
        endpoints.MapHealthChecks("/health", ready).AllowAnonymous();
        endpoints.MapHealthChecks("/health/ready", ready).AllowAnonymous();
        endpoints.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false, ResponseWriter = WriteSummaryAsync })
            .AllowAnonymous();
        return endpoints;
    }

    /// <summary><c>GET /api/v1/health</c>: every check with its status, what it says and its figures.</summary>
    public static void MapDetails(RouteGroupBuilder api)
        => api.MapGet("/health", async (HttpContext http, HealthCheckService checks) =>
            {
                var report = await checks.CheckHealthAsync(http.RequestAborted);
                return new DetailsResult(report);
            })
            .RequireSupportKey()
            .WithSummary("Support key: readiness in detail: each check's status, description and figures (queue depth, oldest command, scheduler lag, set-aside work, mail backlog, free disk, exports running).");

    /// <summary><c>{"status":"Healthy","database":"Healthy","writer":"Degraded",…}</c>: statuses only, nothing to learn
    /// about the data.</summary>
    private static async Task WriteSummaryAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json";
        context.Response.Headers.CacheControl = "no-store";
        await using var json = new Utf8JsonWriter(context.Response.Body);
        json.WriteStartObject();
        json.WriteString("status", report.Status.ToString());
        foreach (var (name, entry) in report.Entries) json.WriteString(name, entry.Status.ToString());
        json.WriteEndObject();
    }

    private sealed class DetailsResult(HealthReport report) : IResult
    {
        public async Task ExecuteAsync(HttpContext context)
        {
            context.Response.StatusCode = report.Status == HealthStatus.Unhealthy ? StatusCodes.Status503ServiceUnavailable : StatusCodes.Status200OK;
            context.Response.ContentType = "application/json";
            context.Response.Headers.CacheControl = "no-store";
            await using var json = new Utf8JsonWriter(context.Response.Body);
            json.WriteStartObject();
            json.WriteString("status", report.Status.ToString());
            json.WriteNumber("durationMs", Math.Round(report.TotalDuration.TotalMilliseconds, 1));
            json.WriteStartObject("checks");
            foreach (var (name, entry) in report.Entries)
            {
                json.WriteStartObject(name);
                json.WriteString("status", entry.Status.ToString());
                if (entry.Description is { } description) json.WriteString("description", description);
                if (entry.Exception is not null) json.WriteString("error", entry.Exception.GetType().Name + ": " + entry.Exception.Message);
                foreach (var (key, value) in entry.Data)
                {
                    json.WritePropertyName(key);
                    switch (value)
                    {
                        case int i: json.WriteNumberValue(i); break;
                        case long l: json.WriteNumberValue(l); break;
                        case double d: json.WriteNumberValue(d); break;
                        default: json.WriteStringValue(value?.ToString()); break;
                    }
                }
                json.WriteEndObject();
            }
            json.WriteEndObject();
            json.WriteEndObject();
        }
    }
}
