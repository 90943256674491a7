using Microsoft.Extensions.DependencyInjection;
using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Moq;
using NodeOps.Functions.AzureFunctions;
using NodeOps.Tests.TestBed;

namespace NodeOps.Tests.AzureFunctions;

/// <summary>
/// NodeOps as the Functions host runs it (no listening server, the Durable client adapter), started on its own data
/// folder; requests go through the catch-all HTTP function with a real DefaultHttpContext and a mocked FunctionContext.
/// </summary>
public sealed class FunctionsTestBed : IAsyncDisposable
{
    private readonly string _dataPath;

    private FunctionsTestBed(NodeOpsPipeline pipeline, string dataPath)
    {
        Pipeline = pipeline;
        _dataPath = dataPath;
    }

    public NodeOpsPipeline Pipeline { get; }

    /// <summary>The Durable client every function invocation of this bed binds.</summary>
    public Mock<DurableTaskClient> DurableClient { get; } = new("nodeops") { CallBase = false };

    public static async Task<FunctionsTestBed> StartAsync(IReadOnlyDictionary<string, string?>? settings = null, Action<IServiceCollection>? configureServices = null)
    {
        var dataPath = Path.Combine(Path.GetTempPath(), "nodeops-functions-" + Guid.NewGuid().ToString("N"));
        var all = new Dictionary<string, string?>
        {
            ["Host:DataPath"] = dataPath,
            ["Auth:BootstrapAdminPassword"] = TestHost.AdminPassword,
            ["Auth:PasswordIterations"] = "10000",
            ["Logging:LogLevel:Default"] = "Warning",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            all[key] = value;
        }

        var pipeline = FunctionsWorker.CreatePipeline(all.Select(kv => $"--{kv.Key}={kv.Value}").ToArray(), configureServices);
        await pipeline.App.StartAsync();
        return new FunctionsTestBed(pipeline, dataPath);
    }

    /// <summary>A FunctionContext as the ASP.NET Core integration makes it: the invocation's HttpContext in its items.</summary>
    public static Mock<FunctionContext> FunctionContextFor(HttpContext? http = null, IDictionary<string, object?>? bindingData = null)
    {
        var context = new Mock<FunctionContext>();
        var items = new Dictionary<object, object>();
        if (http is not null)
        {
            items["HttpRequestContext"] = http;
        }

        context.SetupGet(c => c.Items).Returns(items);
        context.SetupGet(c => c.InvocationId).Returns(Guid.NewGuid().ToString());
        context.SetupGet(c => c.CancellationToken).Returns(CancellationToken.None);
        var binding = new Mock<BindingContext>();
        binding.SetupGet(b => b.BindingData).Returns(new Dictionary<string, object?>(bindingData ?? new Dictionary<string, object?>()));
        context.SetupGet(c => c.BindingContext).Returns(binding.Object);
        return context;
    }

    /// <summary>Sends one request through <see cref="ApiFunction"/> and returns the response it wrote.</summary>
    public async Task<FunctionResponse> SendAsync(string method, string path, object? body = null, string? token = null, string? accept = null)
    {
        var http = new DefaultHttpContext();
        http.Request.Method = method;
        var query = path.IndexOf('?', StringComparison.Ordinal);
        http.Request.Path = query < 0 ? path : path[..query];
        http.Request.QueryString = query < 0 ? QueryString.Empty : new QueryString(path[query..]);
        http.Request.Scheme = "https";
        http.Request.Host = new HostString("nodeops.azurewebsites.net");
        http.Connection.RemoteIpAddress = IPAddress.Loopback;
        if (token is not null)
        {
            http.Request.Headers.Authorization = "Bearer " + token;
        }

        if (accept is not null)
        {
            http.Request.Headers.Accept = accept;
        }

        if (body is not null)
        {
            var bytes = JsonSerializer.SerializeToUtf8Bytes(body);
            http.Request.ContentType = "application/json";
            http.Request.ContentLength = bytes.Length;
            http.Request.Body = new MemoryStream(bytes);
            // Kestrel says whether a request can have a body; minimal APIs read none without it.
            http.Features.Set<Microsoft.AspNetCore.Http.Features.IHttpRequestBodyDetectionFeature>(new HasBody());
        }

        var responseBody = new MemoryStream();
        http.Response.Body = responseBody;
        var function = new ApiFunction(Pipeline);

        var result = await function.RunAsync(http.Request, DurableClient.Object, FunctionContextFor(http).Object);

        Assert.IsType<Microsoft.AspNetCore.Mvc.EmptyResult>(result);
        return new FunctionResponse(http.Response.StatusCode, http.Response.ContentType, http.Response.Headers, Encoding.UTF8.GetString(responseBody.ToArray()));
    }

    public async Task<string> LoginAsync()
    {
        var login = await SendAsync("POST", "/api/v1/auth/login", new { username = "admin", password = TestHost.AdminPassword });
        Assert.True(login.Status == 200, login.Body);
        return login.Json.GetProperty("data").GetProperty("token").GetString()!;
    }

    public async ValueTask DisposeAsync()
    {
        await Pipeline.App.StopAsync();
        await Pipeline.App.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_dataPath, recursive: true);
        }
        catch (IOException)
        {
            // A file still held by a pooled connection; temp is cleaned by the OS.
        }
    }
}

file sealed class HasBody : Microsoft.AspNetCore.Http.Features.IHttpRequestBodyDetectionFeature
{
    public bool CanHaveBody => true;
}

public sealed record FunctionResponse(int Status, string? ContentType, IHeaderDictionary Headers, string Body)
{
    public JsonElement Json => JsonDocument.Parse(Body).RootElement.Clone();
}
