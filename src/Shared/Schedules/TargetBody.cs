using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using NodeOps.Json;

namespace NodeOps.Schedules;

/// <summary>A schedule's target body read as its execute route binds it; a refusal names the field under "target".</summary>
internal static partial class TargetBody
{
    /// <summary>As strict as the HTTP binding: unknown, missing or null required fields are refused.</summary>
    private static readonly JsonSerializerOptions Strict = new(NodeOpsJson.Options)
    {
        RespectNullableAnnotations = true,
        RespectRequiredConstructorParameters = true,
    };

    public static TRequest Parse<TRequest>(JsonObject body)
        where TRequest : class
    {
        try
        {
            return body.Deserialize<TRequest>(Strict) ?? throw new JsonException("null", "$", null, null);
        }
        catch (JsonException ex)
        {
            // A missing field is reported at the object ("$"); name the first one, as the route's error does.
            var missing = MissingRegex().Match(ex.Message);
            var path = "$.target" + (missing.Success ? "." + missing.Groups["name"].Value : (ex.Path ?? "$").TrimStart('$'));
            throw ex is JsonInputException input ? new JsonInputException(input.Problem, path) : new JsonException(ex.Message, path, null, null, ex);
        }
    }

    [GeneratedRegex("missing required properties including: '(?<name>[a-z_]+)'")]
    private static partial Regex MissingRegex();
}
