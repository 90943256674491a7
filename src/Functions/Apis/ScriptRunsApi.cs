using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using NodeOps.Auth;
using NodeOps.Executions;
using NodeOps.Executions.Kinds;
using NodeOps.Features;
using NodeOps.Functions.Http;
using NodeOps.Functions.Security;

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

    private static async Task<IResult> ExecuteAsync(ScriptExecuteRequest request, HttpContext http, ExecutionStarter starter) =>
        Envelope.Ok(ExecutionViews.Started(await starter.ScriptAsync(request, http.GetActor(), http.RequestAborted)), "执行已启动");

    /// <summary>
    /// Everyone who may read a run sees which parameters it had; only the user who ran it and admins see the values
    /// (secret ones are masked for them too, and were never stored in clear).
    /// </summary>
    internal static void ShowParameterValuesToOwnerAndAdmins(JsonObject view, ExecutionRecord execution, Actor caller)
    {
        if (!caller.IsAtLeast(Role.Admin) && caller.UserId != execution.UserId && view["parameters"] is JsonObject parameters)
        {
            ScriptSecrets.MaskAll(parameters);
        }
    }

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
