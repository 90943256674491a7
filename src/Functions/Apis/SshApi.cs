using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using NodeOps.Auth;
using NodeOps.Errors;
using NodeOps.Executions;
using NodeOps.Executions.Kinds;
using NodeOps.Features;
using NodeOps.Functions.Http;
using NodeOps.Functions.Security;
using NodeOps.Safety;

namespace NodeOps.Functions.Apis;

/// <summary>SSH commands across a cluster's nodes: execute, status, history, cancel.</summary>
internal static class SshApi
{
    public const int MaxCommandLength = 64 * 1024;

    public static RouteGroupBuilder MapSshApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/v1/automation/ssh").WithTags("SSH").RequireFeature(Capability.Ssh);
        group.MapPost("/execute", ExecuteAsync).RequireRole(Role.User);
        group.MapExecutionQueries(SshCommandKind.Name);
        return group;
    }

    private static async Task<IResult> ExecuteAsync(SshExecuteRequest request, HttpContext http, NodeTargets targets, ExecutionService executions)
    {
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
            request.ClusterName, request.TargetNodes, request.CredentialId, request.Timeout, request.MaxConcurrent, http.RequestAborted);
        var execution = await executions.SubmitAsync(new ExecutionSubmission(
            SshCommandKind.Name,
            request.ClusterName,
            nodes,
            request.CredentialId,
            timeout,
            maxConcurrent,
            new SshCommandPayload(request.Command),
            new JsonObject { ["command"] = request.Command, ["allow_power_actions"] = request.AllowPowerActions },
            http.GetActor()), http.RequestAborted);
        return Envelope.Ok(ExecutionViews.Started(execution), "执行已启动");
    }

    [JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
    internal sealed record SshExecuteRequest(
        string ClusterName,
        IReadOnlyList<string> TargetNodes,
        long CredentialId,
        string Command,
        int? Timeout = null,
        int? MaxConcurrent = null,
        bool AllowPowerActions = false);
}
