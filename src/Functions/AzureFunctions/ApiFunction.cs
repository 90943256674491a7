using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;

namespace NodeOps.Functions.AzureFunctions;

/// <summary>
/// Every route of the REST surface: one catch-all HTTP function (host.json routePrefix "", so paths stay /api/v1/...)
/// that hands the request to the same ASP.NET Core pipeline the standalone host serves. Authentication is NodeOps's
/// own (tokens, API keys), so the function level is anonymous.
/// </summary>
public sealed class ApiFunction(NodeOpsPipeline pipeline)
{
    public const string Name = "Api";

    [Function(Name)]
    public async Task<IActionResult> RunAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "post", "put", "delete", "patch", "options", "head", Route = "{*path}")] HttpRequest request,
        [DurableClient] DurableTaskClient durableClient,
        FunctionContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        // The ASP.NET Core integration couples the invocation to the request the worker's Kestrel received; the
        // trigger's HttpRequest is that context's request.
        var http = context.GetHttpContext() ?? request.HttpContext;
        pipeline.UseDurableClient(durableClient);
        await pipeline.ProcessAsync(http);
        // The pipeline has written (or is streaming) the response itself.
        return new EmptyResult();
    }
}
