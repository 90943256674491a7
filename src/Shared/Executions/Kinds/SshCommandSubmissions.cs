using System.Text.Json.Nodes;
using NodeOps.Auth;
using NodeOps.Errors;
using NodeOps.Safety;

namespace NodeOps.Executions.Kinds;

/// <summary>
/// Checks an SSH command request and turns it into a submission: the one validator the execute route and a
/// schedule's ssh target share.
/// </summary>
public sealed class SshCommandSubmissions(NodeTargets targets)
{
    public const int MaxCommandLength = 64 * 1024;

    public async Task<ExecutionSubmission> PrepareAsync(SshCommandRequest request, Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (string.IsNullOrWhiteSpace(request.Command))
        {
            throw NodeOpsException.BadRequest("command", "command 不能为空");
        }

        if (request.Command.Length > MaxCommandLength || request.Command.Contains('\0', StringComparison.Ordinal))
        {
            throw NodeOpsException.BadRequest("command", $"command 最长 {MaxCommandLength} 字符，且不能包含 NUL");
        }

        // Checked before anything else is looked up: a blocked command is refused whatever the targets.
        DangerousCommandGuard.EnsureAllowed(request.Command, new GuardOptions { AllowPowerActions = request.AllowPowerActions });
        var (nodes, timeout, maxConcurrent) = await targets.PrepareAsync(
            request.ClusterName, request.TargetNodes, request.CredentialId, request.Timeout, request.MaxConcurrent, cancellationToken).ConfigureAwait(false);
        return new ExecutionSubmission(
            SshCommandKind.Name,
            request.ClusterName,
            nodes,
            request.CredentialId,
            timeout,
            maxConcurrent,
            new SshCommandPayload(request.Command),
            new JsonObject { ["command"] = request.Command, ["allow_power_actions"] = request.AllowPowerActions },
            actor);
    }
}
