using System.Buffers;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using CreditPortal.Ledger;
using Microsoft.AspNetCore.Http.Features;

namespace CreditPortal.Api;

/// <summary>
/// Reads a JSON request body: at most 64 KiB (413 beyond, also for chunked bodies), strict JSON (a
/// fraction, a string or a number beyond Int64 where a whole number belongs is refused), and every
/// problem reported as 400 naming the field it is about.
/// </summary>
public static class ApiBody
{
    public const int MaxBytes = 64 * 1024;

    private const int KestrelBackstopBytes = 1024 * 1024;

    public static async ValueTask<T> ReadAsync<T>(HttpContext http, JsonTypeInfo<T> type) where T : class
        => await ReadOptionalAsync(http, type) ?? throw new LedgerValidationException("body", "A JSON object is required as the request body.");

    /// <summary>As <see cref="ReadAsync{T}"/>, but an empty body is null (for endpoints whose body is optional).</summary>
    public static async ValueTask<T?> ReadOptionalAsync<T>(HttpContext http, JsonTypeInfo<T> type) where T : class
    {
        var request = http.Request;
        if (request.ContentLength > MaxBytes) throw new ApiPayloadTooLargeException();
        // A chunked body has no length up front: the loop below counts its decoded bytes. Kestrel's own limit
        // counts chunk framing too (a body of exactly 64 KiB sent in chunks goes over it), so it is only a
        // backstop that stops an endless upload, also while Kestrel drains what a 413 answer left unread.
        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit) limit.MaxRequestBodySize = KestrelBackstopBytes;

        var reader = request.BodyReader;
        while (true)
        {
            // No RequestAborted token: Kestrel creates a CancellationTokenSource per request on first access
            // (measurable on the consumption path), and an aborted connection fails the read anyway.
            var read = await reader.ReadAsync();
            var buffer = read.Buffer;
            if (buffer.Length > MaxBytes)
            {
                reader.AdvanceTo(buffer.End);
                throw new ApiPayloadTooLargeException();
            }
            if (read.IsCompleted || read.IsCanceled)
            {
                try { return Parse(buffer, type); }
                finally { reader.AdvanceTo(buffer.End); }
            }
            reader.AdvanceTo(buffer.Start, buffer.End);
        }
    }

    /// <summary>Null for an empty body.</summary>
    public static T? Parse<T>(ReadOnlySequence<byte> json, JsonTypeInfo<T> type) where T : class
    {
        if (json.IsEmpty) return null;
        T? value;
        try
        {
            var reader = new Utf8JsonReader(json, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Disallow, MaxDepth = 16 });
            value = JsonSerializer.Deserialize(ref reader, type);
            // One JSON value, nothing after it.
            if (reader.Read()) throw new LedgerValidationException("body", "The body must hold one JSON object and nothing after it.");
        }
        catch (JsonException ex)
        {
            throw Describe(ex, type);
        }
        return value ?? throw new LedgerValidationException("body", "A JSON object is required as the request body.");
    }

    /// <summary>Turns a serializer error into "field: what is expected" (the serializer's own text names .NET types).</summary>
    private static LedgerValidationException Describe(JsonException ex, JsonTypeInfo type)
    {
        var field = FieldOf(ex.Path);
        var position = ex.LineNumber is { } line ? $" (line {line + 1}, byte {ex.BytePositionInLine + 1})" : "";
        if (ex.Message.StartsWith("The JSON value could not be converted", StringComparison.Ordinal))
        {
            return field == "body"
                ? new LedgerValidationException("body", "The body must be a JSON object.")
                : new LedgerValidationException(field, $"{field} {Expected(field, type)}.");
        }
        // A syntax error is about the body as a whole; the path and position say where it broke.
        var where = field == "body" ? "" : $" after {field}";
        return new LedgerValidationException("body", $"The body is not valid JSON{where}{position}: {Trim(ex.Message)}");
    }

    /// <summary>"$.autoRenew.Email" → "autoRenew.Email"; "$" → "body".</summary>
    private static string FieldOf(string? path)
    {
        if (string.IsNullOrEmpty(path) || path == "$") return "body";
        var field = path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path.TrimStart('$');
        return field.Length == 0 ? "body" : field;
    }

    private static string Expected(string field, JsonTypeInfo type)
    {
        var top = field.Split('.', '[')[0];
        var property = type.Properties.FirstOrDefault(p => p.Name == top);
        if (property is null) return "has the wrong type";
        var t = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
        if (t == typeof(long) || t == typeof(int))
            return top == field && top is "quantity" ? "must be a whole number from 1 to 1,000,000,000" : "must be a whole number";
        if (t == typeof(bool)) return "must be true or false";
        if (t == typeof(string)) return "must be a string";
        if (t == typeof(List<string>)) return top == field ? "must be an array of strings" : "must be a string";
        if (t == typeof(Dictionary<string, bool>)) return top == field ? "must be an object of channel names to true/false" : "must be true or false";
        return "has the wrong type";
    }

    private static string Trim(string message)
    {
        foreach (var marker in new[] { " Path:", " LineNumber:" })
        {
            var cut = message.IndexOf(marker, StringComparison.Ordinal);
            if (cut > 0) message = message[..cut];
        }
        return message;
    }
}
