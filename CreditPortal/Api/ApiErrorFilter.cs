using CreditPortal.Clock;
using CreditPortal.Ledger;

namespace CreditPortal.Api;

/// <summary>
/// The one place where service-layer refusals become HTTP answers: bad input 400 (naming the field),
/// unknown 404, idempotency conflict 409, too large 413, business rule 422 (with its code). Anything
/// else is a bug: logged, and answered 500 without internals.
/// </summary>
public sealed class ApiErrorFilter(ILogger<ApiErrorFilter> logger) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        try
        {
            return await next(context);
        }
        catch (Exception ex) when (Map(ex) is { } problem)
        {
            return problem;
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException && context.HttpContext.RequestAborted.IsCancellationRequested)
        {
            throw; // the client went away; nobody reads an answer
        }
        catch (Exception ex)
        {
            logger.LogError(ex, "API request {Method} {Path} failed", context.HttpContext.Request.Method, context.HttpContext.Request.Path);
            return ApiProblems.Result(StatusCodes.Status500InternalServerError, "The request failed unexpectedly. Retrying with the same idempotencyKey is safe: it never changes credits twice.");
        }
    }

    public static IResult? Map(Exception ex) => ex switch
    {
        LedgerValidationException v => ApiProblems.BadRequest(v.Field, v.Message, v.Code),
        LedgerNotFoundException n => ApiProblems.NotFound(n.Message),
        IdempotencyConflictException c => ApiProblems.Result(StatusCodes.Status409Conflict, c.Message, "idempotency_conflict",
            new Dictionary<string, string[]> { ["idempotencyKey"] = [c.Message] }),
        HoldEndedException h => ApiProblems.Result(StatusCodes.Status409Conflict, h.Message, h.Code,
            new Dictionary<string, string[]> { ["status"] = [h.Status.ToString()] }),
        ApiConflictException c => ApiProblems.Result(StatusCodes.Status409Conflict, c.Message, c.Code,
            c.Field is null ? null : new Dictionary<string, string[]> { [c.Field] = [c.Message] }),
        LedgerRuleException r => ApiProblems.Result(StatusCodes.Status422UnprocessableEntity, r.Message, r.Code,
            r.Field is null ? null : new Dictionary<string, string[]> { [r.Field] = [r.Message] }),
        ClockMovedBackwardsException b => ApiProblems.Result(StatusCodes.Status422UnprocessableEntity, b.Message, "clock_moved_backwards",
            new Dictionary<string, string[]> { ["now"] = [b.Message] }),
        LedgerBusyException b => new RetryLater(ApiProblems.Result(StatusCodes.Status503ServiceUnavailable, b.Message, b.Code), b.RetryAfter),
        ApiPayloadTooLargeException t => ApiProblems.Result(StatusCodes.Status413PayloadTooLarge, t.Message, "payload_too_large"),
        BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge } => ApiProblems.Result(StatusCodes.Status413PayloadTooLarge,
            ApiPayloadTooLargeException.Text, "payload_too_large"),
        BadHttpRequestException b => ApiProblems.Result(StatusCodes.Status400BadRequest, "The request body could not be read: " + b.Message),
        _ => null,
    };
}

/// <summary>The request body is larger than the API accepts (64 KiB).</summary>
public sealed class ApiPayloadTooLargeException() : Exception(Text)
{
    public const string Text = "The request body is larger than 64 KiB.";
}

/// <summary>The request conflicts with existing state outside the ledger (e.g. a login that already exists).</summary>
public sealed class ApiConflictException(string code, string message, string? field = null) : Exception(message)
{
    public string Code { get; } = code;
    public string? Field { get; } = field;
}

/// <summary>An answer that asks the caller to come back: the problem, with <c>Retry-After</c> in whole seconds.</summary>
public sealed class RetryLater(IResult problem, TimeSpan after) : IResult
{
    public TimeSpan After { get; } = after;

    public Task ExecuteAsync(HttpContext httpContext)
    {
        ApiProblems.SetRetryAfter(httpContext.Response, After);
        return problem.ExecuteAsync(httpContext);
    }
}
