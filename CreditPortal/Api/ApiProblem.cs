using System.Text.Json.Serialization;

namespace CreditPortal.Api;

/// <summary>
/// An RFC 9457 problem (<c>application/problem+json</c>). <see cref="Code"/> is the machine code of a
/// refusal (e.g. <c>insufficient_unassigned</c>) as a top-level field; <see cref="Errors"/> maps each
/// request field to what is wrong with it.
/// </summary>
public sealed record ApiProblem(
    string Type,
    string Title,
    int Status,
    string Detail,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Code = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyDictionary<string, string[]>? Errors = null);
