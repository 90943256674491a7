using System.Globalization;
using NodeOps.Credentials;
using NodeOps.Errors;
using NodeOps.Features;
using NodeOps.Runners.Ssh;

namespace NodeOps.Executions;

/// <summary>
/// Runs a per-node kind: an execution is cut into lanes, and each lane (one lane) claims pending nodes one by
/// one and runs up to its share of max_concurrent at once. Lanes on different instances share the nodes through
/// the claims, so the execution's max_concurrent holds across instances and no node is left waiting behind a
/// slow one.
/// </summary>
public sealed class NodeFanOutHandler(INodeCommandKind kind, ISshRunner runner, CatalogPorts catalog, FeatureService features, ExecutionsOptions options) : IExecutionHandler
{
    private const string LanePrefix = "lane-";

    public string Kind => kind.Kind;

    public IReadOnlyList<string> PlanLanes(ExecutionRecord execution)
    {
        ArgumentNullException.ThrowIfNull(execution);
        var width = Math.Max(1, Math.Min(execution.TargetNodes.Count, execution.MaxConcurrent));
        var lanes = (width + options.LaneSize - 1) / Math.Max(1, options.LaneSize);
        return Enumerable.Range(0, Math.Max(1, lanes)).Select(i => LanePrefix + i.ToString(CultureInfo.InvariantCulture)).ToList();
    }

    public async Task<LaneOutcome> RunAsync(LaneContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        var execution = context.Execution;
        var lanes = Math.Max(1, execution.Lanes.Count);
        var laneIndex = int.TryParse(context.Lane.AsSpan(LanePrefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var i) ? i : 0;
        var width = Math.Max(1, Math.Min(execution.TargetNodes.Count, execution.MaxConcurrent));
        var parallelism = Math.Max(1, (width + lanes - 1) / lanes);

        // Lanes start at different offsets so they rarely race for the same node.
        var pending = context.Nodes.Where(n => n.Record.Status == NodeStatus.Pending).ToList();
        var offset = pending.Count == 0 ? 0 : laneIndex * pending.Count / lanes;
        pending = [.. pending.Skip(offset), .. pending.Take(offset)];
        if (pending.Count == 0)
        {
            return LaneOutcome.Done;
        }

        var settings = (await features.GetAsync(cancellationToken).ConfigureAwait(false)).Ssh;
        var invocation = kind.CreateInvocation(execution);
        SshCredential? credential = null;
        string? credentialError = null;
        try
        {
            credential = await catalog.Credentials.GetDecryptedAsync(execution.CredentialId, cancellationToken).ConfigureAwait(false);
        }
        catch (NodeOpsException ex)
        {
            credentialError = "凭据不可用: " + ex.Message;
        }

        using var slots = new SemaphoreSlim(parallelism, parallelism);
        var running = new List<Task>();
        var stoppedEarly = false;
        try
        {
            foreach (var node in pending)
            {
                try
                {
                    await slots.WaitAsync(context.StopClaiming).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    stoppedEarly = true;
                    break;
                }

                if (context.StopClaiming.IsCancellationRequested)
                {
                    slots.Release();
                    stoppedEarly = true;
                    break;
                }

                var claim = await context.TryClaimAsync(node, cancellationToken).ConfigureAwait(false);
                if (claim is null)
                {
                    slots.Release();
                    continue;
                }

                running.Add(RunNodeAsync(context, claim, credential, credentialError, invocation, settings, slots, cancellationToken));
            }
        }
        finally
        {
            // Even when claiming failed half-way, the nodes already started are seen through to their result.
            await Task.WhenAll(running).ConfigureAwait(false);
        }

        // Stopped because this instance is going away (not a cancel): the rest of the lane's nodes run elsewhere.
        return stoppedEarly && !context.IsCancelRequested ? LaneOutcome.Again : LaneOutcome.Done;
    }

    private async Task RunNodeAsync(
        LaneContext context,
        NodeClaim claim,
        SshCredential? credential,
        string? credentialError,
        RemoteInvocation invocation,
        SshSettings settings,
        SemaphoreSlim slots,
        CancellationToken cancellationToken)
    {
        try
        {
            var node = claim.Record;
            var startedAt = context.Time.GetUtcNow();
            NodeResultRecord result;
            string stdout = "", stderr = "";
            if (credential is null)
            {
                result = node with { Status = NodeStatus.Failed, Message = credentialError, ErrorCode = "CREDENTIAL_UNAVAILABLE" };
            }
            else
            {
                Task recording = Task.CompletedTask;
                var request = new SshRunRequest(
                    new SshTarget(context.Execution.ClusterName, node.Node, node.Address, node.Port > 0 ? node.Port : credential.Port, credential),
                    invocation,
                    TimeSpan.FromSeconds(context.Execution.Timeout),
                    settings.OutputLimitBytes,
                    pgid => recording = context.RecordProcessGroupAsync(claim, pgid, cancellationToken));
                var run = await runner.RunAsync(request, context.StopNow).ConfigureAwait(false);
                await recording.ConfigureAwait(false);
                stdout = kind.RedactOutput(context.Execution, run.Stdout);
                stderr = kind.RedactOutput(context.Execution, run.Stderr);
                result = claim.Record with
                {
                    Status = run.Outcome switch
                    {
                        SshRunOutcome.Exited => run.ExitCode == 0 ? NodeStatus.Success : NodeStatus.Failed,
                        SshRunOutcome.TimedOut => NodeStatus.Timeout,
                        SshRunOutcome.Stopped => context.StoppedStatus,
                        _ => NodeStatus.Failed,
                    },
                    ExitCode = run.ExitCode,
                    Truncated = run.Truncated,
                    Message = run.Message,
                    ErrorCode = run.ErrorCode,
                    RemoteProcessGroup = run.RemoteProcessGroup ?? claim.Record.RemoteProcessGroup,
                };
            }

            var endedAt = context.Time.GetUtcNow();
            result = result with { EndedAt = endedAt, Duration = Math.Round((endedAt - (node.StartedAt ?? startedAt)).TotalSeconds, 3) };
            await context.CompleteNodeAsync(claim, result, stdout, stderr, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            slots.Release();
        }
    }
}
