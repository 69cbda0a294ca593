using CreditPortal.Clock;
using CreditPortal.Scheduling;

namespace CreditPortal.Api;

public sealed record ClockBody(string? Now);

public sealed record ClockAnswer(DateTimeOffset Now, int EventsRun);

/// <summary>
/// <c>PUT /api/v1/clock</c> (support key), only with <c>Clock:Mode=Manual</c>: otherwise the route does not
/// exist (404). Moves the clock forward (back: 422 clock_moved_backwards) and answers once every scheduled
/// event due up to the new instant has run, so a test's next request sees their effects.
/// </summary>
public static class ClockEndpoints
{
    public static void Map(RouteGroupBuilder api, IServiceProvider services)
    {
        if (services.GetService<ManualTimeProvider>() is null) return;
        api.MapPut("/clock", MoveAsync)
            .RequireSupportKey()
            .JsonBody<ClockBody>("now")
            .Produces<ClockAnswer>()
            .WithSummary("Manual clock only: moves time forward and runs what became due.");
    }

    private static async Task<IResult> MoveAsync(HttpContext http, ManualTimeProvider clock, Scheduler scheduler)
    {
        var body = await ApiBody.ReadAsync(http, ApiJsonContext.Wire.ClockBody);
        var to = ApiInput.Instant(ApiInput.Required(body.Now, "now"), "now")!.Value;
        clock.MoveTo(to);
        // Not the request's token: once the clock moved, the due work must run whether or not the caller waits.
        var ran = await scheduler.RunDueAsync(CancellationToken.None);
        return TypedResults.Json(new ClockAnswer(clock.GetUtcNow(), ran), ApiJsonContext.Wire.ClockAnswer);
    }
}
