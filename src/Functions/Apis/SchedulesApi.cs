using NodeOps.Auth;
using NodeOps.Features;
using NodeOps.Functions.Http;
using NodeOps.Functions.Security;
using NodeOps.Schedules;

namespace NodeOps.Functions.Apis;

/// <summary>Scheduled runs of SSH commands, scripts and playbooks: admins write, users and viewers read.</summary>
internal static class SchedulesApi
{
    public static RouteGroupBuilder MapSchedulesApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/v1/automation/schedules").WithTags("Schedules").RequireFeature(Capability.Automation);
        group.MapGet("/", ListAsync).RequireRole(Role.Viewer);
        group.MapGet("/{id}", GetAsync).RequireRole(Role.Viewer);
        group.MapGet("/{id}/runs", RunsAsync).RequireRole(Role.Viewer);
        group.MapPost("/", CreateAsync).RequireRole(Role.Admin);
        group.MapPut("/{id}", UpdateAsync).RequireRole(Role.Admin);
        group.MapDelete("/{id}", DeleteAsync).RequireRole(Role.Admin);
        group.MapPost("/{id}/run-now", RunNowAsync).RequireRole(Role.Admin);
        return group;
    }

    private static async Task<IResult> ListAsync(HttpRequest request, ScheduleService schedules, CancellationToken cancellationToken)
    {
        var paging = Paging.From(request);
        var (total, items) = await schedules.ListAsync(paging.Skip, paging.PageSize, cancellationToken);
        return Envelope.Ok(new { total, page = paging.Page, page_size = paging.PageSize, schedules = items });
    }

    private static async Task<IResult> GetAsync(string id, ScheduleService schedules, CancellationToken cancellationToken) =>
        Envelope.Ok(await schedules.GetAsync(RouteIds.Parse(id), cancellationToken));

    private static async Task<IResult> RunsAsync(string id, HttpRequest request, ScheduleService schedules, CancellationToken cancellationToken)
    {
        var paging = Paging.From(request);
        var (total, runs) = await schedules.ListRunsAsync(RouteIds.Parse(id), paging.Skip, paging.PageSize, cancellationToken);
        return Envelope.Ok(new { total, page = paging.Page, page_size = paging.PageSize, runs = runs.Select(ScheduleViews.Run).ToList() });
    }

    private static async Task<IResult> CreateAsync(ScheduleInput request, HttpContext http, ScheduleService schedules) =>
        Envelope.Created(await schedules.CreateAsync(request, http.GetActor(), http.RequestAborted));

    private static async Task<IResult> UpdateAsync(string id, ScheduleInput request, HttpContext http, ScheduleService schedules) =>
        Envelope.Ok(await schedules.UpdateAsync(RouteIds.Parse(id), request, http.GetActor(), http.RequestAborted), "更新成功");

    private static async Task<IResult> DeleteAsync(string id, HttpContext http, ScheduleService schedules)
    {
        await schedules.DeleteAsync(RouteIds.Parse(id), http.GetActor(), http.RequestAborted);
        return Envelope.Ok("删除成功");
    }

    private static async Task<IResult> RunNowAsync(string id, HttpContext http, ScheduleService schedules) =>
        Envelope.Ok(ScheduleViews.Run(await schedules.RunNowAsync(RouteIds.Parse(id), http.GetActor(), http.RequestAborted)), "已触发");
}
