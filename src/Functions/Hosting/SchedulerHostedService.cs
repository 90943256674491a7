using Microsoft.Extensions.Options;
using NodeOps.Schedules;

namespace NodeOps.Functions.Hosting;

/// <summary>The standalone host's in-process scheduler (Schedules:SchedulerEnabled); the Functions host's timer calls the same evaluator.</summary>
internal sealed class SchedulerHostedService(InProcessScheduler scheduler, IOptions<SchedulesOptions> options) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        options.Value.SchedulerEnabled ? scheduler.RunAsync(stoppingToken) : Task.CompletedTask;
}
