using System.Text.Json.Nodes;
using NodeOps.Auth;

namespace NodeOps.Schedules;

/// <summary>
/// Starts one target type (target.type) for a schedule. The body is the type's execute request, checked by the same
/// validator its execute route uses, when the schedule is saved and again at each fire.
/// </summary>
public interface IScheduleTargetStarter
{
    /// <summary>The target.type it serves: "ssh", "script", "ansible", "workflow".</summary>
    string Type { get; }

    /// <summary>The execution kind its runs are, which prefixes their task ids.</summary>
    string Kind { get; }

    /// <summary>Throws the execute route's own error when the route would refuse <paramref name="body"/>.</summary>
    Task ValidateAsync(JsonObject body, Actor actor, CancellationToken cancellationToken = default);

    /// <summary>
    /// Starts a run whose task id (the orchestration instance id) is <paramref name="taskId"/>, recorded as started by
    /// schedule <paramref name="scheduleId"/>. A task id that was already started is refused by the store.
    /// </summary>
    Task StartAsync(JsonObject body, Actor actor, string taskId, long scheduleId, CancellationToken cancellationToken = default);
}
