using System.Text.Json.Nodes;
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

    private static async Task<IResult> ExecuteAsync(ScriptRunRequest request, HttpContext http, ScriptRunSubmissions submissions, ExecutionService executions)
    {
        var submission = await submissions.PrepareAsync(request, http.GetActor(), http.RequestAborted);
        var execution = await executions.SubmitAsync(submission, http.RequestAborted);
        return Envelope.Ok(ExecutionViews.Started(execution), "执行已启动");
    }

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
}
