using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using NodeOps.Auth;
using NodeOps.Executions;
using NodeOps.Json;

namespace NodeOps.Schedules;

/// <summary>
/// A target that is one execution kind's execute request: parsed as strictly as the route binds it, prepared by the
/// kind's validator, and submitted with the schedule's task id.
/// </summary>
public abstract partial class ExecutionTargetStarter<TRequest>(ExecutionService executions) : IScheduleTargetStarter
    where TRequest : class
{
    /// <summary>As strict as the HTTP binding: unknown, missing or null required fields are refused.</summary>
    private static readonly JsonSerializerOptions Strict = new(NodeOpsJson.Options)
    {
        RespectNullableAnnotations = true,
        RespectRequiredConstructorParameters = true,
    };

    public abstract string Type { get; }

    public abstract string Kind { get; }

    public async Task ValidateAsync(JsonObject body, Actor actor, CancellationToken cancellationToken = default) =>
        await PrepareAsync(Parse(body), actor, cancellationToken).ConfigureAwait(false);

    public async Task StartAsync(JsonObject body, Actor actor, string taskId, long scheduleId, CancellationToken cancellationToken = default)
    {
        var submission = await PrepareAsync(Parse(body), actor, cancellationToken).ConfigureAwait(false);
        await executions.SubmitAsync(submission with { TaskId = taskId, ScheduleId = scheduleId }, cancellationToken).ConfigureAwait(false);
    }

    protected abstract Task<ExecutionSubmission> PrepareAsync(TRequest request, Actor actor, CancellationToken cancellationToken);

    /// <summary>The body as the route would bind it; a refusal names the field under "target".</summary>
    private static TRequest Parse(JsonObject body)
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
