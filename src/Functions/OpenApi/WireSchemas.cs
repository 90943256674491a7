using Microsoft.OpenApi;

namespace NodeOps.Functions.OpenApi;

/// <summary>The shared shapes of both surfaces, as named component schemas: the automation envelope and both error bodies.</summary>
internal static class WireSchemas
{
    public const string AutomationError = "AutomationError";
    public const string AssistantError = "AssistantError";
    public const string FieldProblem = "FieldProblem";

    public static IOpenApiSchema Reference(string id, OpenApiDocument document) => new OpenApiSchemaReference(id, document);

    public static void Register(OpenApiDocument document)
    {
        document.Components ??= new OpenApiComponents();
        document.Components.Schemas ??= new Dictionary<string, IOpenApiSchema>(StringComparer.Ordinal);
        var schemas = document.Components.Schemas;
        schemas[FieldProblem] = Object(
            "One field's problem when validation found several.",
            ("field", Text("The field, snake_case, e.g. steps[2].timeout")),
            ("message", Text("What is wrong with it")));
        schemas[AutomationError] = Object(
            "The automation surface's error: {code, message, error}, with the field at fault when there is one.",
            ("code", Integer("The HTTP status")),
            ("message", Text("A short title, e.g. 请求参数错误")),
            ("error", Text("What went wrong, naming the field and the allowed values")),
            ("field", Text("The request field at fault", nullable: true)),
            ("error_code", Text("A stable machine code when there is one, e.g. FEATURE_DISABLED", nullable: true)),
            ("details", new OpenApiSchema { Type = JsonSchemaType.Array | JsonSchemaType.Null, Items = Reference(FieldProblem, document) }),
            ("request_id", Text("The X-Request-ID of the request")));
        ((OpenApiSchema)schemas[AutomationError]).Required = new HashSet<string>(["code", "message", "error", "request_id"], StringComparer.Ordinal);
        schemas[AssistantError] = Object(
            "The assistant surface's error: {error, status, error_code, error_details, timestamp, request_id}.",
            ("error", Text("A short title")),
            ("status", new OpenApiSchema { Type = JsonSchemaType.String, Enum = [System.Text.Json.Nodes.JsonValue.Create("error")] }),
            ("error_code", Text("e.g. INVALID_REQUEST, MISSING_QUERY, LLM_UNAVAILABLE, RATE_LIMITED")),
            ("error_details", new OpenApiSchema
            {
                Type = JsonSchemaType.Object,
                Description = "message always; field when one is at fault; suggestion and other facts when known",
                Properties = new Dictionary<string, IOpenApiSchema>(StringComparer.Ordinal)
                {
                    ["message"] = Text("What went wrong"),
                    ["field"] = Text("The request field at fault", nullable: true),
                    ["suggestion"] = Text("What to do about it", nullable: true),
                },
                AdditionalPropertiesAllowed = true,
            }),
            ("timestamp", Timestamp()),
            ("request_id", Text("The X-Request-ID of the request")));
        ((OpenApiSchema)schemas[AssistantError]).Required = new HashSet<string>(["error", "status", "error_code", "error_details", "timestamp", "request_id"], StringComparer.Ordinal);
    }

    /// <summary>{code, message, data}: the automation surface's success body around <paramref name="data"/>.</summary>
    public static OpenApiSchema Envelope(int status, IOpenApiSchema data)
    {
        var schema = Object("The automation envelope; data is absent on answers that only confirm (e.g. 删除成功)",
            ("code", Integer($"{status}")), ("message", Text("e.g. 获取成功")), ("data", data));
        schema.Required = new HashSet<string>(["code", "message"], StringComparer.Ordinal);
        return schema;
    }

    /// <summary>A list's data: {total, page, page_size, itemsProperty: [item]} (page fields only for paged lists).</summary>
    public static OpenApiSchema List(string itemsProperty, IOpenApiSchema item, bool paged)
    {
        var properties = new List<(string, IOpenApiSchema)> { ("total", Integer("Items in all pages")) };
        if (paged)
        {
            properties.Add(("page", Integer("From 1")));
            properties.Add(("page_size", Integer("1 to 100, default 20")));
        }

        properties.Add((itemsProperty, new OpenApiSchema { Type = JsonSchemaType.Array, Items = item }));
        var schema = Object("A list", [.. properties]);
        schema.Required = new HashSet<string>(properties.Select(p => p.Item1), StringComparer.Ordinal);
        return schema;
    }

    /// <summary>A body whose fields the document does not enumerate (the assistant's answers, or data built per route).</summary>
    public static OpenApiSchema OpenObject(string description) => new() { Type = JsonSchemaType.Object, Description = description, AdditionalPropertiesAllowed = true };

    public static OpenApiSchema Timestamp() => new()
    {
        Type = JsonSchemaType.String,
        Format = "date-time",
        Description = "UTC with Z and at most millisecond precision, e.g. 2025-10-29T16:00:00Z",
        Pattern = @"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,3})?Z$",
    };

    private static OpenApiSchema Object(string description, params (string Name, IOpenApiSchema Schema)[] properties) => new()
    {
        Type = JsonSchemaType.Object,
        Description = description,
        Properties = properties.ToDictionary(p => p.Name, p => p.Schema, StringComparer.Ordinal),
    };

    private static OpenApiSchema Text(string description, bool nullable = false) =>
        new() { Type = nullable ? JsonSchemaType.String | JsonSchemaType.Null : JsonSchemaType.String, Description = description };

    private static OpenApiSchema Integer(string description) => new() { Type = JsonSchemaType.Integer, Format = "int32", Description = description };
}
