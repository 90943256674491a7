using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using NodeOps.Auth;
using NodeOps.Errors;
using NodeOps.Executions;
using NodeOps.Executions.Kinds;
using NodeOps.Features;
using NodeOps.Functions.Http;
using NodeOps.Functions.Security;
using NodeOps.Runners.Ssh;
using NodeOps.Safety;
using NodeOps.Secrets;

namespace NodeOps.Functions.Apis;

/// <summary>Catalog scripts run across a cluster's nodes: execute, status, history, cancel.</summary>
internal static class ScriptRunsApi
{
    public static RouteGroupBuilder MapScriptRunsApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/v1/automation/scripts").WithTags("Script runs").RequireFeature(Capability.Scripts);
        group.MapPost("/execute", ExecuteAsync).RequireRole(Role.User);
        group.MapExecutionQueries(ScriptKind.Name, ShowParameterValuesToOwnerAndAdmins);
        return group;
    }

    private static async Task<IResult> ExecuteAsync(ScriptExecuteRequest request, HttpContext http, CatalogPorts catalog, NodeTargets targets, ExecutionService executions, ISecretProtector protector)
    {
        if (request.ScriptId <= 0)
        {
            throw NodeOpsException.BadRequest("script_id", "script_id 必须是正整数");
        }

        var script = await catalog.Catalog.FindScriptAsync(request.ScriptId, http.RequestAborted)
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
            request.ClusterName, request.TargetNodes, request.CredentialId, request.Timeout, request.MaxConcurrent, http.RequestAborted);
        var execution = await executions.SubmitAsync(new ExecutionSubmission(
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
            http.GetActor()), http.RequestAborted);
        return Envelope.Ok(ExecutionViews.Started(execution), "执行已启动");
    }

    /// <summary>
    /// Everyone who may read a run sees which parameters it had; only the user who ran it and admins see the values
    /// (secret ones are masked for them too, and were never stored in clear).
    /// </summary>
    private static void ShowParameterValuesToOwnerAndAdmins(JsonObject view, ExecutionRecord execution, Actor caller)
    {
        if (!caller.IsAtLeast(Role.Admin) && caller.UserId != execution.UserId && view["parameters"] is JsonObject parameters)
        {
            ScriptSecrets.MaskAll(parameters);
        }
    }

    private static bool IsSupported(string language) =>
        RemoteInvocation.IsPython(language) || language.ToLowerInvariant() is "shell" or "bash" or "sh";

    [JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
    internal sealed record ScriptExecuteRequest(
        long ScriptId,
        string ClusterName,
        IReadOnlyList<string> TargetNodes,
        long CredentialId,
        IReadOnlyDictionary<string, string>? Parameters = null,
        int? Timeout = null,
        int? MaxConcurrent = null,
        bool AllowPowerActions = false);
}
