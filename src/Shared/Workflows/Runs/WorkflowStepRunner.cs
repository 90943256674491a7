using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NodeOps.Executions;

namespace NodeOps.Workflows.Runs;

/// <summary>
/// Runs one attempt of one step on one node, at most once: the attempt is claimed (row to running) by a conditional
/// write before anything starts. Activities are delivered at least once, so an attempt found running was lost with its
/// instance and becomes interrupted instead of running again; an attempt found final answers with what it recorded
/// (a resumed run passes completed steps this way). A cancel made on any instance stops the running action.
/// </summary>
public sealed partial class WorkflowStepRunner(
    ExecutionStore executions,
    WorkflowStepStore steps,
    ExecutionCancellations cancellations,
    IEnumerable<IWorkflowStepAction> actions,
    TimeProvider time,
    IOptions<WorkflowRunsOptions> options,
    ILogger<WorkflowStepRunner> logger)
{
    public const int OutputTailChars = 4000;

    public async Task<StepNodeOutcome> RunAsync(StepNodeInput input, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        var execution = await executions.GetAsync(input.TaskId, cancellationToken).ConfigureAwait(false);
        if (execution is null)
        {
            return new StepNodeOutcome(StepNodeStatus.Failed, false);
        }

        var existing = await steps.GetAsync(input.TaskId, input.StepId, input.Node, cancellationToken).ConfigureAwait(false);
        if (existing is { } found && found.Record.Attempt >= input.Attempt)
        {
            return await SettleAsync(input, found.Record, found.ETag, execution.CancelRequested, cancellationToken).ConfigureAwait(false);
        }

        if (execution.CancelRequested)
        {
            await steps.UpdateAsync(input.TaskId, input.StepId, input.Node, current => current is { Status: StepNodeStatus.Running } ? null : new StepNodeRecord
            {
                StepId = input.StepId, Node = input.Node, Status = StepNodeStatus.Skipped, Attempt = input.Attempt, Error = "执行已取消，未运行",
            }, cancellationToken).ConfigureAwait(false);
            return new StepNodeOutcome(StepNodeStatus.Cancelled, true);
        }

        var claim = new StepNodeRecord
        {
            StepId = input.StepId, Node = input.Node, Status = StepNodeStatus.Running, Attempt = input.Attempt, StartedAt = time.GetUtcNow(),
        };
        var etag = await steps.TryWriteAsync(input.TaskId, claim, existing?.ETag, cancellationToken).ConfigureAwait(false);
        if (etag is null)
        {
            // Someone else claimed it between our read and write: that delivery runs it.
            var now = await steps.GetAsync(input.TaskId, input.StepId, input.Node, cancellationToken).ConfigureAwait(false);
            return now is { } row ? await SettleAsync(input, row.Record, row.ETag, execution.CancelRequested, cancellationToken).ConfigureAwait(false)
                : new StepNodeOutcome(StepNodeStatus.Interrupted, false);
        }

        var result = await ExecuteAsync(execution, input, etag, claim, cancellationToken).ConfigureAwait(false);
        return new StepNodeOutcome(result.Status, result.Status == StepNodeStatus.Cancelled);
    }

    /// <summary>A row this attempt already wrote: its final result, or, still running, a lost delivery (interrupted).</summary>
    private async Task<StepNodeOutcome> SettleAsync(StepNodeInput input, StepNodeRecord record, string etag, bool cancelRequested, CancellationToken cancellationToken)
    {
        if (record.Status.IsFinal())
        {
            return new StepNodeOutcome(record.Status, cancelRequested && record.Status is StepNodeStatus.Cancelled or StepNodeStatus.Skipped);
        }

        var interrupted = record with
        {
            Status = StepNodeStatus.Interrupted,
            EndedAt = time.GetUtcNow(),
            Error = "运行该步骤的实例已中断，结果未知；同一次尝试不会重跑",
        };
        await steps.TryWriteAsync(input.TaskId, interrupted, etag, cancellationToken).ConfigureAwait(false);
        LogInterrupted(logger, input.TaskId, input.StepId, input.Node);
        return new StepNodeOutcome(StepNodeStatus.Interrupted, cancelRequested);
    }

    private async Task<StepRun> ExecuteAsync(ExecutionRecord execution, StepNodeInput input, string etag, StepNodeRecord claim, CancellationToken cancellationToken)
    {
        var payload = execution.PayloadAs<WorkflowRunPayload>();
        var step = payload.Definition.Steps!.First(s => s.Id == input.StepId);
        var nodes = await executions.ListNodesAsync(execution.TaskId, cancellationToken).ConfigureAwait(false);
        var node = nodes.First(n => n.Record.Node == input.Node).Record;
        var action = actions.FirstOrDefault(a => a.Types.Contains(step.StepType!.Value));

        using var cancelled = new CancellationTokenSource();
        var reporter = new ProgressWriter(steps, execution.TaskId, claim, etag, options.Value.ProgressInterval, time);
        StepRun run;
        await using (cancellations.Start(execution.TaskId, cancelled).ConfigureAwait(false))
        {
            try
            {
                run = action is null
                    ? StepRun.Fail($"步骤类型 {step.Type} 不能在节点上运行")
                    : await action.RunAsync(new StepRunContext(execution, payload, step, node, reporter.Report, steps), cancelled.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancelled.IsCancellationRequested)
            {
                run = new StepRun(StepNodeStatus.Cancelled, Error: "执行已取消，步骤被中止");
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogStepFailed(logger, ex, execution.TaskId, input.StepId, input.Node);
                run = StepRun.Fail(ex.Message);
            }
        }

        if (cancelled.IsCancellationRequested && run.Status is StepNodeStatus.Failed or StepNodeStatus.Timeout)
        {
            run = run with { Status = StepNodeStatus.Cancelled };
        }

        var final = await reporter.StopAsync().ConfigureAwait(false) with
        {
            Status = run.Status,
            ExitCode = run.ExitCode,
            Output = Tail(run.Output),
            Error = run.Error,
            EndedAt = time.GetUtcNow(),
            CordonedByRun = run.CordonedByRun,
        };
        if (await steps.TryWriteAsync(execution.TaskId, final, reporter.ETag, CancellationToken.None).ConfigureAwait(false) is null)
        {
            // The row was taken over (marked interrupted by a redelivery): that verdict stands.
            return run with { Status = StepNodeStatus.Interrupted };
        }

        return run;
    }

    private static string Tail(string output) => output.Length <= OutputTailChars ? output : output[^OutputTailChars..];

    [LoggerMessage(EventId = 4101, Level = LogLevel.Warning, Message = "Workflow {TaskId}: step {StepId} on {Node} was running when its instance was lost; marked interrupted")]
    private static partial void LogInterrupted(ILogger logger, string taskId, string stepId, string node);

    [LoggerMessage(EventId = 4102, Level = LogLevel.Error, Message = "Workflow {TaskId}: step {StepId} on {Node} failed unexpectedly")]
    private static partial void LogStepFailed(ILogger logger, Exception exception, string taskId, string stepId, string node);
}
