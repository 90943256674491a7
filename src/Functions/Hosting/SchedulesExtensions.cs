using NodeOps.Functions.Apis;
using NodeOps.Schedules;

namespace NodeOps.Functions.Hosting;

/// <summary>Schedules in the host: their services, the in-process scheduler, and their API group.</summary>
internal static class SchedulesExtensions
{
    public static WebApplicationBuilder AddSchedules(this WebApplicationBuilder builder)
    {
        builder.Services.AddSchedules();
        builder.Services.AddHostedService<SchedulerHostedService>();
        return builder;
    }

    public static WebApplication MapSchedules(this WebApplication app)
    {
        app.MapSchedulesApi();
        return app;
    }
}
