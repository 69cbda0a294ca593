using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace CreditPortal.Api;

/// <summary>
/// The JSON body an endpoint reads, for the OpenAPI document only. Deliberately not <c>Accepts&lt;T&gt;()</c>:
/// that makes routing refuse a request whose Content-Type is missing or not application/json, and the API
/// reads the body as JSON whatever the header says (scripts forget it; the JSON is checked anyway).
/// </summary>
public sealed record JsonBodyMetadata(Type BodyType, string[] Required);

public static class JsonBodyMetadataExtensions
{
    public static RouteHandlerBuilder JsonBody<TBody>(this RouteHandlerBuilder builder, params string[] required)
        => builder.WithMetadata(new JsonBodyMetadata(typeof(TBody), required));
}

/// <summary>Turns <see cref="JsonBodyMetadata"/> into the operation's requestBody schema.</summary>
public sealed class JsonBodyOperationTransformer : IOpenApiOperationTransformer
{
    public Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var body = context.Description.ActionDescriptor.EndpointMetadata.OfType<JsonBodyMetadata>().FirstOrDefault();
        if (body is null) return Task.CompletedTask;
        var schema = new OpenApiSchema
        {
            Type = JsonSchemaType.Object,
            Required = new HashSet<string>(body.Required),
            Properties = new Dictionary<string, IOpenApiSchema>(),
        };
        foreach (var property in body.BodyType.GetProperties(BindingFlags.Public | BindingFlags.Instance))
            schema.Properties[JsonNamingPolicy.CamelCase.ConvertName(property.Name)] = SchemaOf(property.PropertyType);
        operation.RequestBody = new OpenApiRequestBody
        {
            Required = true,
            Content = new Dictionary<string, OpenApiMediaType> { ["application/json"] = new() { Schema = schema } },
        };
        return Task.CompletedTask;
    }

    private static OpenApiSchema SchemaOf(Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (type == typeof(long)) return new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int64" };
        if (type == typeof(bool)) return new OpenApiSchema { Type = JsonSchemaType.Boolean };
        if (type == typeof(List<string>)) return new OpenApiSchema { Type = JsonSchemaType.Array, Items = new OpenApiSchema { Type = JsonSchemaType.String } };
        if (type == typeof(Dictionary<string, bool>))
            return new OpenApiSchema
            {
                Type = JsonSchemaType.Object,
                AdditionalProperties = new OpenApiSchema { Type = JsonSchemaType.Boolean },
                Example = new JsonObject { ["Email"] = true },
            };
        return new OpenApiSchema { Type = JsonSchemaType.String };
    }
}
