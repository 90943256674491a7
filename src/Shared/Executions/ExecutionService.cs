using System.Text.Json;
using Microsoft.Extensions.Logging;
using NodeOps.Auth;
using NodeOps.Errors;
using NodeOps.Json;
using NodeOps.Progress;
using NodeOps.Storage;
using NodeOps.Orchestration;

namespace NodeOps.Executions;

/// <summary>
/// The engine's front door, the same for every kind: submit, read one, list history, cancel. What runs, and how,
/// is the kind's handler's business; this class persists, starts the execution's orchestration and reports.
/// </summary>
public sealed class ExecutionService(
    ExecutionStore store,
    ExecutionHandlers handlers,
    IOrchestrationClient orchestrations,
    SequenceGenerator sequences,
    ExecutionCancellations cancellations,
    ExecutionFinalizer finalizer,
    IProgressPublisher progress,
    TimeProvider time,
    ILogger<ExecutionService> logger)
{
    /// <summary>The error code of a submission whose orchestration could not be started.</summary>
    public const string NotStartedCode = "ENGINE_UNAVAILABLE";

    /// <summary>Stores a new execution and starts its orchestration; returns it as stored (status pending).</summary>
    public async Task<ExecutionRecord> SubmitAsync(ExecutionSubmission submission, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(submission);
        var handler = handlers.Get(submission.Kind);
        var now = time.GetUtcNow();
        var nodes = submission.Nodes.Select((n, i) => new NodeResultRecord { Node = n.Name, Address = n.Address, Port = n.Port, Index = i }).ToList();
        var execution = new ExecutionRecord
        {
            TaskId = submission.TaskId ?? TaskIds.New(submission.Kind, now),
            Id = await sequences.NextAsync("executions", cancellationToken).ConfigureAwait(false),
            Kind = submission.Kind,
            ClusterName = submission.ClusterName,
            TargetNodes = submission.Nodes.Select(n => n.Name).ToList(),
            CredentialId = submission.CredentialId,
            Timeout = submission.Timeout,
            MaxConcurrent = submission.MaxConcurrent,
            Payload = JsonSerializer.SerializeToElement(submission.Payload, NodeOpsJson.Options),
            Summary = submission.Summary,
            UserId = submission.Actor.UserId,
            Username = submission.Actor.DisplayName,
            CreatedAt = now,
            ScheduleId = submission.ScheduleId,
        };
        var items = handler.PlanLanes(execution);
        execution = execution with { Lanes = items, OpenLanes = items };
        if (ExecutionStore.DocumentSize(execution) > ExecutionStore.MaxDocumentChars)
        {
            throw new NodeOpsException(ErrorKind.PayloadTooLarge, "执行内容过大，无法保存");
        }

        // Store first, so the orchestration's activities always find the execution; the instance id is the task id.
        await store.InsertAsync(execution, nodes, cancellationToken).ConfigureAwait(false);
        try
        {
            await orchestrations.StartAsync(nameof(ExecutionOrchestrator), new ExecutionStart(execution.TaskId, items, handler.NeedsAdmission), execution.TaskId, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            await FailUnstartedAsync(execution.TaskId, ex).ConfigureAwait(false);
            throw new NodeOpsException(ErrorKind.Unavailable, $"执行引擎暂不可用，任务 {execution.TaskId} 未能启动，已记为失败", code: NotStartedCode)
            {
                Context = new Dictionary<string, object?> { ["task_id"] = execution.TaskId },
            };
        }

        return execution;
    }

    /// <summary>
    /// An execution whose orchestration could not be scheduled would stay pending forever: it is finalized as failed
    /// (its nodes skipped) with the reason. Should the start have reached the backend after all, its activities find
    /// the execution finished and run nothing.
    /// </summary>
    private async Task FailUnstartedAsync(string taskId, Exception cause)
    {
        Log.StartFailed(logger, cause, taskId);
        await store.UpdateAsync(taskId, current => current.Status == ExecutionStatus.Pending
            ? current with { Error = "执行引擎暂不可用，任务未能启动" }
            : null, CancellationToken.None).ConfigureAwait(false);
        await finalizer.FinalizeAsync(taskId, CancellationToken.None).ConfigureAwait(false);
    }

    /// <summary>An execution of the given kind with its node results; 404 when there is none.</summary>
    public async Task<(ExecutionRecord Execution, IReadOnlyList<NodeResult> Results)> GetAsync(string kind, string taskId, CancellationToken cancellationToken = default)
    {
        var execution = await FindAsync(kind, taskId, cancellationToken).ConfigureAwait(false);
        var results = await store.ListResultsAsync(execution.TaskId, cancellationToken).ConfigureAwait(false);
        return (execution, results);
    }

    /// <summary>A page of history, newest first, with live counts for executions still running.</summary>
    public async Task<(IReadOnlyList<(ExecutionRecord Execution, ExecutionCounts Counts)> Page, int Total)> HistoryAsync(HistoryQuery query, CancellationToken cancellationToken = default)
    {
        var (page, total) = await store.QueryAsync(query, cancellationToken).ConfigureAwait(false);
        var rows = new List<(ExecutionRecord, ExecutionCounts)>(page.Count);
        foreach (var execution in page)
        {
            rows.Add((execution, await CountsAsync(execution, cancellationToken).ConfigureAwait(false)));
        }

        return (rows, total);
    }

    /// <summary>The stored counts of a finished execution, or the live counts of one still going.</summary>
    public async Task<ExecutionCounts> CountsAsync(ExecutionRecord execution, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(execution);
        if (execution.Counts is { } counts)
        {
            return counts;
        }

        var nodes = await store.ListNodesAsync(execution.TaskId, cancellationToken).ConfigureAwait(false);
        return ExecutionCounts.From(nodes.Select(n => n.Record.Status));
    }

    /// <summary>
    /// Requests a cancel, which every instance honours: nodes not started are skipped, running ones are stopped on
    /// the node. 409 when the execution has already finished.
    /// </summary>
    public async Task<ExecutionRecord> CancelAsync(string kind, string taskId, Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        await FindAsync(kind, taskId, cancellationToken).ConfigureAwait(false);
        var finished = false;
        var updated = await store.UpdateAsync(taskId, current =>
        {
            finished = current.IsFinished;
            return finished || current.CancelRequested ? null : current with { CancelRequested = true, CancelledBy = actor.DisplayName };
        }, cancellationToken).ConfigureAwait(false) ?? throw NodeOpsException.NotFound($"任务 {taskId} 不存在");
        if (finished)
        {
            throw NodeOpsException.Conflict($"任务 {taskId} 已结束 ({ExecutionEvents.Name(updated.Status)})，无法取消");
        }

        // Lanes running here stop at once; those on other instances see the store's flag within CancelPollInterval;
        // the orchestration, told by the event, cuts an admission wait short and calls no lane again.
        cancellations.Signal(taskId);
        try
        {
            await orchestrations.RaiseEventAsync(taskId, ExecutionOrchestrator.CancelEvent, actor.DisplayName, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The recorded flag alone still stops the run: admission and every lane read it.
            Log.CancelEventFailed(logger, ex, taskId);
        }

        var counts = await CountsAsync(updated, cancellationToken).ConfigureAwait(false);
        progress.Publish(ExecutionEvents.Snapshot(updated, counts, time.GetUtcNow()) with { Type = ProgressEventTypes.Progress, Message = "已请求取消" });
        return updated;
    }

    private async Task<ExecutionRecord> FindAsync(string kind, string taskId, CancellationToken cancellationToken)
    {
        var execution = await store.GetAsync(taskId, cancellationToken).ConfigureAwait(false);
        return execution is not null && execution.Kind == kind
            ? execution
            : throw NodeOpsException.NotFound($"任务 {taskId} 不存在");
    }
}
