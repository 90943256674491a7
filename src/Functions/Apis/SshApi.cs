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

    private static async Task<IResult> ExecuteAsync(SshCommandRequest request, HttpContext http, SshCommandSubmissions submissions, ExecutionService executions)
    {
        var submission = await submissions.PrepareAsync(request, http.GetActor(), http.RequestAborted);
        var execution = await executions.SubmitAsync(submission, http.RequestAborted);
        return Envelope.Ok(ExecutionViews.Started(execution), "执行已启动");
    }
}
