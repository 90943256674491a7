using System.Text.Json.Serialization;
using NodeOps.Auth;
using NodeOps.Executions;
using NodeOps.Executions.Kinds;
using NodeOps.Features;
using NodeOps.Functions.Http;
using NodeOps.Functions.Security;

namespace NodeOps.Functions.Apis;

/// <summary>SSH commands across a cluster's nodes: execute, status, history, cancel.</summary>
internal static class SshApi
{
    public static RouteGroupBuilder MapSshApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/v1/automation/ssh").WithTags("SSH").RequireFeature(Capability.Ssh);
        group.MapPost("/execute", ExecuteAsync).RequireRole(Role.User);
        group.MapExecutionQueries(SshCommandKind.Name);
        return group;
    }

    private static async Task<IResult> ExecuteAsync(SshExecuteRequest request, HttpContext http, ExecutionStarter starter) =>
        Envelope.Ok(ExecutionViews.Started(await starter.SshCommandAsync(request, http.GetActor(), http.RequestAborted)), "执行已启动");

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
