using NodeOps.Scheduling;

namespace NodeOps.Functions.Hosting;

/// <summary>Sweeps expired execution history (Executions:RetentionDays) every Executions:RetentionSweepInterval.</summary>
internal sealed class RetentionHostedService(RetentionSweep sweep) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) => sweep.RunAsync(stoppingToken);
}
