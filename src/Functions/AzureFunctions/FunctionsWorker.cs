using Microsoft.Azure.Functions.Worker.Builder;
using NodeOps.Functions.Hosting;

namespace NodeOps.Functions.AzureFunctions;

/// <summary>
/// The isolated worker the Functions host starts: the NodeOps application, started without a listening server,
/// inside the worker with its ASP.NET Core integration and the function classes of this folder.
/// </summary>
internal static class FunctionsWorker
{
    /// <summary>The NodeOps application as the Functions host runs it; <paramref name="configureServices"/> lets a test replace a service.</summary>
    public static NodeOpsPipeline CreatePipeline(string[] args, Action<IServiceCollection>? configureServices = null)
    {
        var app = NodeOpsApp.Create(args, services =>
        {
            services.UseAzureFunctionsHost();
            configureServices?.Invoke(services);
        });
        try
        {
            KeyVaultReferences.ThrowIfUnresolved(app.Configuration);
        }
        catch (InvalidOperationException)
        {
            ((IDisposable)app).Dispose();
            throw;
        }

        return new NodeOpsPipeline(app);
    }

    public static async Task RunAsync(string[] args)
    {
        // The host's own arguments (--host, --port, --functions-uri, ...) are the worker's; NodeOps reads app settings.
        var pipeline = CreatePipeline([]);
        await pipeline.App.StartAsync();
        try
        {
            var builder = FunctionsApplication.CreateBuilder(args);
            builder.ConfigureFunctionsWebApplication();
            builder.Services.AddSingleton(pipeline);
            using var worker = builder.Build();
            await worker.RunAsync();
        }
        finally
        {
            await pipeline.App.StopAsync();
            await pipeline.App.DisposeAsync();
        }
    }
}
