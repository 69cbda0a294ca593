using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace CreditPortal.Data;

public static class HealthEndpoints
{
    public const string DatabaseCheck = "database";

    /// <summary><c>/health</c>: 200 with <c>{"status":"Healthy","database":"Healthy"}</c> when SQLite answers,
    /// 503 otherwise. Anonymous on purpose: load balancers call it.</summary>
    public static IEndpointRouteBuilder MapPortalHealth(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapHealthChecks("/health", new HealthCheckOptions
        {
            ResponseWriter = async (context, report) =>
            {
                context.Response.ContentType = "application/json";
                var body = new Dictionary<string, string> { ["status"] = report.Status.ToString() };
                foreach (var (name, entry) in report.Entries) body[name] = entry.Status.ToString();
                await context.Response.WriteAsync(JsonSerializer.Serialize(body));
            },
        }).AllowAnonymous();
        return endpoints;
    }
}
