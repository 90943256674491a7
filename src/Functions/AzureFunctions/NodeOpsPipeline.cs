using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.Features.Authentication;
using Microsoft.AspNetCore.Routing;
using Microsoft.DurableTask.Client;
using NodeOps.Functions.Hosting;

namespace NodeOps.Functions.AzureFunctions;

/// <summary>
/// The whole NodeOps application (the one the standalone host runs on Kestrel) as the Functions worker sees it: the
/// catch-all HTTP function hands it each request, the orchestrator and activity wrappers take its services, and
/// every function that binds a DurableTaskClient passes it on for the application's orchestration client.
/// </summary>
public sealed class NodeOpsPipeline
{
    private readonly InProcessServer _server;
    private readonly DurableClientSlot _durableClient;
    private readonly long _maxRequestBodyBytes;

    internal NodeOpsPipeline(WebApplication app)
    {
        App = app;
        _server = (InProcessServer)app.Services.GetRequiredService<IServer>();
        _durableClient = app.Services.GetRequiredService<DurableClientSlot>();
        _maxRequestBodyBytes = (app.Configuration.GetSection(NodeOpsHostOptions.Section).Get<NodeOpsHostOptions>() ?? new NodeOpsHostOptions()).MaxRequestBodyBytes;
    }

    public WebApplication App { get; }

    public IServiceProvider Services => App.Services;

    public void UseDurableClient(DurableTaskClient client) => _durableClient.Use(client);

    /// <summary>Runs the request through NodeOps's middleware and endpoints, writing the response to the same connection.</summary>
    public Task ProcessAsync(HttpContext http)
    {
        ArgumentNullException.ThrowIfNull(http);
        // The limit Kestrel enforces in the standalone host; the worker's own Kestrel has its default until the body is read.
        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } bodyLimit)
        {
            bodyLimit.MaxRequestBodySize = _maxRequestBodyBytes;
        }

        // The request keeps its connection (body, response, abort) but gets NodeOps's own context: its services, items,
        // user, and no endpoint, so NodeOps's routing picks the route instead of seeing the catch-all function's.
        var features = new FeatureCollection(http.Features);
        var routing = new UnroutedFeature();
        features.Set<IEndpointFeature>(routing);
        features.Set<IRouteValuesFeature>(routing);
        features.Set<IItemsFeature>(new ItemsFeature());
        features.Set<IHttpAuthenticationFeature>(new HttpAuthenticationFeature());
        return _server.ProcessAsync(features);
    }

    private sealed class UnroutedFeature : IEndpointFeature, IRouteValuesFeature
    {
        public Endpoint? Endpoint { get; set; }

        public RouteValueDictionary RouteValues { get; set; } = [];
    }
}
