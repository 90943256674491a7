using System.Text.Json.Nodes;
using NodeOps.Auth;
using NodeOps.Errors;
using NodeOps.Executions;
using NodeOps.Executions.Kinds;
using NodeOps.Runners.Ssh;
using NodeOps.Safety;
using NodeOps.Secrets;

namespace NodeOps.Functions.Apis;

/// <summary>
/// Starts an SSH command or a script run after the one validation both surfaces share (the REST routes and the MCP
/// tools): field checks, the dangerous-command guard, then the targets. The feature switch is the caller's gate.
/// </summary>
internal sealed class ExecutionStarter(NodeTargets targets, ExecutionService executions, CatalogPorts catalog, ISecretProtector protector)
{
    public const int MaxCommandLength = 64 * 1024;

    public async Task<ExecutionRecord> SshCommandAsync(SshApi.SshExecuteRequest request, Actor actor, CancellationToken cancellationToken = default)
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
        var targeted = new Targets(request.ClusterName, request.TargetNodes, request.CredentialId, request.Timeout, request.MaxConcurrent);
        return await SubmitAsync(SshCommandKind.Name, targeted, new SshCommandPayload(request.Command),
            new JsonObject { ["command"] = request.Command, ["allow_power_actions"] = request.AllowPowerActions }, actor, cancellationToken).ConfigureAwait(false);
    }

    public async Task<ExecutionRecord> ScriptAsync(ScriptRunsApi.ScriptExecuteRequest request, Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.ScriptId <= 0)
        {
            throw NodeOpsException.BadRequest("script_id", "script_id 必须是正整数");
        }

        var script = await catalog.Catalog.FindScriptAsync(request.ScriptId, cancellationToken).ConfigureAwait(false)
            ?? throw NodeOpsException.NotFound($"脚本 ID {request.ScriptId} 不存在");
        if (!IsSupported(script.Language))
        {
            throw NodeOpsException.Invalid("script_id", $"不支持的脚本语言: {script.Language}");
        }

        DangerousCommandGuard.EnsureScriptAllowed(
            script.Content,
            RemoteInvocation.IsPython(script.Language) ? ScriptLanguage.Python : ScriptLanguage.Shell,
            new GuardOptions { AllowPowerActions = request.AllowPowerActions });
        var parameters = ScriptParameters.Resolve(script, request.Parameters);
        var targeted = new Targets(request.ClusterName, request.TargetNodes, request.CredentialId, request.Timeout, request.MaxConcurrent);
        return await SubmitAsync(
            ScriptKind.Name,
            targeted,
            ScriptSecrets.CreatePayload(script, parameters, protector),
            new JsonObject
            {
                ["script_id"] = script.Id,
                ["script_name"] = script.Name,
                ["script_version"] = script.Version,
                ["language"] = script.Language,
                ["allow_power_actions"] = request.AllowPowerActions,
                ["parameters"] = ScriptSecrets.Shown(script, parameters),
            },
            actor,
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Resolves the targets (cluster, nodes, credential, limits), then submits the execution.</summary>
    private async Task<ExecutionRecord> SubmitAsync(string kind, Targets request, object payload, JsonObject summary, Actor actor, CancellationToken cancellationToken)
    {
        var (nodes, timeout, maxConcurrent) = await targets.PrepareAsync(
            request.ClusterName, request.TargetNodes, request.CredentialId, request.Timeout, request.MaxConcurrent, cancellationToken).ConfigureAwait(false);
        return await executions.SubmitAsync(
            new ExecutionSubmission(kind, request.ClusterName, nodes, request.CredentialId, timeout, maxConcurrent, payload, summary, actor),
            cancellationToken).ConfigureAwait(false);
    }

    private sealed record Targets(string ClusterName, IReadOnlyList<string> TargetNodes, long CredentialId, int? Timeout, int? MaxConcurrent);

    private static bool IsSupported(string language) =>
        RemoteInvocation.IsPython(language) || language.ToLowerInvariant() is "shell" or "bash" or "sh";
}
