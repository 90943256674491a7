using DurableTask.Core;
using Microsoft.DurableTask.Converters;
using Microsoft.DurableTask.Worker;
using Microsoft.DurableTask.Worker.Shims;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace NodeOps.Orchestration;

/// <summary>
/// The standalone host's orchestration engine: a DurableTask.Core <see cref="TaskHubWorker"/> over the chosen backend
/// running the registered Microsoft.DurableTask orchestrators and activities in-process, and the client to reach them.
/// </summary>
public sealed class OrchestrationRuntime : IHostedService, IAsyncDisposable
{
    private readonly OrchestrationBackend _backend;
    private readonly TaskHubWorker _worker;
    private readonly bool _runWorker;
    private bool _started;

    /// <param name="runWorker">False for a client-only process: the hub is created, but this process runs no work.</param>
    public OrchestrationRuntime(OrchestrationBackend backend, OrchestrationRegistry registry, IServiceProvider services, TimeProvider timeProvider, ILoggerFactory loggerFactory, bool runWorker = true)
    {
        _runWorker = runWorker;
        ArgumentNullException.ThrowIfNull(registry);
        _backend = backend ?? throw new ArgumentNullException(nameof(backend));
        var shims = new DurableTaskShimFactory(new DurableTaskWorkerOptions { DataConverter = JsonDataConverter.Default }, loggerFactory);
        _worker = new TaskHubWorker(backend.Service, registry.Orchestrations(shims, services), registry.Activities(shims, services), loggerFactory);
        Client = new TaskHubOrchestrationClient(backend, timeProvider, loggerFactory);
    }

    public IOrchestrationClient Client { get; }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await _backend.Service.CreateIfNotExistsAsync().ConfigureAwait(false);
        if (!_runWorker)
        {
            return;
        }

        await _worker.StartAsync().ConfigureAwait(false);
        _started = true;
    }

    /// <summary>Stops taking work; work in flight is left to its lease, as after a crash.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_started)
        {
            _started = false;
            await _worker.StopAsync(isForced: true).ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync(CancellationToken.None).ConfigureAwait(false);
        _worker.Dispose();
        _backend.Dispose();
    }
}
