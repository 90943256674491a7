using System.Text.Json.Nodes;
using NodeOps.Auth;
using NodeOps.Workflows.Runs;

namespace NodeOps.Schedules;

/// <summary>A workflow target: the body of POST /workflows/execute, checked and started by the same <see cref="WorkflowRuns"/> the route uses.</summary>
public sealed class WorkflowTargetStarter(WorkflowRuns runs) : IScheduleTargetStarter
{
    public string Type => "workflow";

    public string Kind => WorkflowRuns.Kind;

    public Task ValidateAsync(JsonObject body, Actor actor, CancellationToken cancellationToken = default) =>
        runs.ValidateAsync(TargetBody.Parse<WorkflowExecuteRequest>(body), actor, cancellationToken);

    public Task StartAsync(JsonObject body, Actor actor, string taskId, long scheduleId, CancellationToken cancellationToken = default) =>
        runs.StartAsync(TargetBody.Parse<WorkflowExecuteRequest>(body), actor, taskId, scheduleId, cancellationToken);
}
