using Microsoft.Extensions.Options;
using NodeOps.Executions;
using NodeOps.Scheduling;

namespace NodeOps.Functions.Hosting;

/// <summary>Runs this instance's execution dispatcher, unless Executions:DispatcherEnabled is false.</summary>
internal sealed class DispatcherHostedService(ExecutionDispatcher dispatcher, IOptions<ExecutionsOptions> options) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        options.Value.DispatcherEnabled ? dispatcher.RunAsync(stoppingToken) : Task.CompletedTask;
}
