using System.Net;
using Microsoft.Extensions.DependencyInjection;
using NodeOps.Functions.SignalR;
using NodeOps.Progress;
using NodeOps.Tests.TestBed;

namespace NodeOps.Tests.Progress;

/// <summary>Which SignalR parts a host gets from its configuration.</summary>
public sealed class SignalRModeTests
{
    [Fact]
    public async Task WithoutAConnectionString_TheHubRunsInProcess_AndNothingOfAzureIsRegistered()
    {
        IServiceCollection? registered = null;
        await using var host = await TestHost.StartAsync(configureServices: services => registered = services);

        Assert.DoesNotContain(registered!, d => (d.ServiceType.Namespace ?? "").StartsWith("Microsoft.Azure.SignalR", StringComparison.Ordinal)
            || (d.ImplementationType?.Namespace ?? "").StartsWith("Microsoft.Azure.SignalR", StringComparison.Ordinal));
        Assert.IsType<InProcessProgressBus>(host.GetRequiredService<IProgressPublisher>());
        using var negotiate = await host.Anonymous.PostAsync("/api/v1/hubs/progress/negotiate?negotiateVersion=1", null);
        Assert.Equal(HttpStatusCode.Unauthorized, negotiate.StatusCode);
    }

    [Fact]
    public async Task Serverless_WithoutAnAccessKey_StopsStartUpNamingTheSetting()
    {
        var failure = await Assert.ThrowsAnyAsync<Exception>(() => TestHost.StartAsync(new Dictionary<string, string?>
        {
            ["SignalR:Mode"] = "Serverless",
            ["SignalR:ConnectionString"] = "Endpoint=https://example.service.signalr.net;Version=1.0;",
        }));

        Assert.Contains("AccessKey", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Serverless_PublishesThroughTheRestPublisher_AndStillFeedsTheWebSocketBus()
    {
        await using var service = await FakeSignalRService.StartAsync();
        await using var host = await TestHost.StartAsync(new Dictionary<string, string?>
        {
            ["SignalR:Mode"] = "Serverless",
            ["SignalR:ConnectionString"] = service.ConnectionString,
        });

        Assert.IsType<ServerlessProgressPublisher>(host.GetRequiredService<IProgressPublisher>());
        Assert.Null(host.Services.GetService<HubProgressConnections>());
    }
}
