using System.Text.Json.Nodes;
using NodeOps.Auth;
using NodeOps.Executions;

namespace NodeOps.Schedules;

/// <summary>
/// A target that is one execution kind's execute request: parsed as strictly as the route binds it, prepared by the
/// kind's validator, and submitted with the schedule's task id.
/// </summary>
public abstract class ExecutionTargetStarter<TRequest>(ExecutionService executions) : IScheduleTargetStarter
    where TRequest : class
{
    public abstract string Type { get; }

    public abstract string Kind { get; }

    public async Task ValidateAsync(JsonObject body, Actor actor, CancellationToken cancellationToken = default) =>
        await PrepareAsync(TargetBody.Parse<TRequest>(body), actor, cancellationToken).ConfigureAwait(false);

    public async Task StartAsync(JsonObject body, Actor actor, string taskId, long scheduleId, CancellationToken cancellationToken = default)
    {
        var submission = await PrepareAsync(TargetBody.Parse<TRequest>(body), actor, cancellationToken).ConfigureAwait(false);
        await executions.SubmitAsync(submission with { TaskId = taskId, ScheduleId = scheduleId }, cancellationToken).ConfigureAwait(false);
    }

    protected abstract Task<ExecutionSubmission> PrepareAsync(TRequest request, Actor actor, CancellationToken cancellationToken);
}
