using System.Text.Json.Nodes;
using NodeOps.Auth;
using NodeOps.Errors;
using NodeOps.Runners.Ssh;
using NodeOps.Safety;
using NodeOps.Secrets;

namespace NodeOps.Executions.Kinds;

/// <summary>
/// Checks a catalog script run request and turns it into a submission: the one validator the execute route and a
/// schedule's script target share.
/// </summary>
public sealed class ScriptRunSubmissions(CatalogPorts catalog, NodeTargets targets, ISecretProtector protector)
{
    public async Task<ExecutionSubmission> PrepareAsync(ScriptRunRequest request, Actor actor, CancellationToken cancellationToken = default)
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
        var (nodes, timeout, maxConcurrent) = await targets.PrepareAsync(
            request.ClusterName, request.TargetNodes, request.CredentialId, request.Timeout, request.MaxConcurrent, cancellationToken).ConfigureAwait(false);
        return new ExecutionSubmission(
            ScriptKind.Name,
            request.ClusterName,
            nodes,
            request.CredentialId,
            timeout,
            maxConcurrent,
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
            actor);
    }

    private static bool IsSupported(string language) =>
        RemoteInvocation.IsPython(language) || language.ToLowerInvariant() is "shell" or "bash" or "sh";
}
