using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace CreditPortal.Benchmarks;

public sealed record BareConsumption(string? Channel, long? ListId, long? Quantity, string? Country, string? Reference, string? IdempotencyKey);

public sealed record BareAnswer(long Id, string Status);

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(BareConsumption))]
[JsonSerializable(typeof(BareAnswer))]
public sealed partial class BareJson : JsonSerializerContext;

/// <summary>
/// The comparison endpoints: the same route and JSON as the real <c>POST /api/v1/accounts/{id}/consumptions</c>,
/// on a bare Kestrel (no auth, no rules). With a database file it also does the consumption's SQLite writes.
/// </summary>
public static class BareEndpoint
{
    public static async Task RunAsync(string url, string? database)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Logging.AddConsole().SetMinimumLevel(LogLevel.Warning);
        builder.WebHost.UseUrls(url);
        await using var app = builder.Build();
        var store = database is null ? null : await BareSqliteStore.OpenAsync(database);
        var ids = 0L;

        app.MapPost("/api/v1/accounts/{accountId:long}/consumptions", async (HttpContext http, long accountId) =>
        {
            var body = await JsonSerializer.DeserializeAsync(http.Request.Body, BareJson.Default.BareConsumption, http.RequestAborted);
            if (body is not { Channel: not null, ListId: { } listId, Quantity: { } quantity and >= 1 and <= 1_000_000_000, IdempotencyKey.Length: >= 1 and <= 100 })
                return Results.BadRequest();
            var id = store is null
                ? Interlocked.Increment(ref ids)
                : await store.ConsumeAsync(accountId, listId, quantity, body.Reference, body.IdempotencyKey!);
            return TypedResults.Json(new BareAnswer(id, "Accepted"), BareJson.Default.BareAnswer, statusCode: StatusCodes.Status201Created);
        });
        app.MapGet("/health", () => "ok");
        Console.WriteLine($"Listening on {url} ({(store is null ? "bare" : "bare + SQLite " + database)})");
        await app.RunAsync();
    }
}
