using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Http.Features;

namespace NodeOps.Functions.AzureFunctions;

/// <summary>
/// The NodeOps application's server under the Functions host: it listens nowhere (the worker's own Kestrel, which the
/// host forwards to, does). Starting the application hands this server its request pipeline; the catch-all HTTP
/// function then runs each request through it, as Kestrel would.
/// </summary>
internal sealed class InProcessServer : IServer
{
    private Func<IFeatureCollection, Task>? _process;

    public IFeatureCollection Features { get; } = new FeatureCollection();

    public Task StartAsync<TContext>(IHttpApplication<TContext> application, CancellationToken cancellationToken)
        where TContext : notnull
    {
        _process = async features =>
        {
            var context = application.CreateContext(features);
            try
            {
                await application.ProcessRequestAsync(context);
                application.DisposeContext(context, null);
            }
            catch (Exception ex)
            {
                application.DisposeContext(context, ex);
                throw;
            }
        };
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        _process = null;
        return Task.CompletedTask;
    }

    /// <summary>Runs one request, carried by <paramref name="features"/>, through the application's pipeline.</summary>
    public Task ProcessAsync(IFeatureCollection features) =>
        (_process ?? throw new InvalidOperationException("The NodeOps application is not started.")).Invoke(features);

    public void Dispose() => _process = null;
}
