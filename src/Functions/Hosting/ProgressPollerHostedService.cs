using NodeOps.Progress;

namespace NodeOps.Functions.Hosting;

/// <summary>Lets the progress bus follow subscribed tasks that run on other instances, through the shared store.</summary>
internal sealed class ProgressPollerHostedService(InProcessProgressBus bus) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) => bus.RunPollerAsync(stoppingToken);
}
