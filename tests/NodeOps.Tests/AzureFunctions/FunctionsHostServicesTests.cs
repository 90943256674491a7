using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using NodeOps.Functions.AzureFunctions;
using NodeOps.Functions.Hosting;
using NodeOps.Orchestration;

namespace NodeOps.Tests.AzureFunctions;

/// <summary>Under the Functions host, NodeOps listens nowhere, runs no orchestration engine or retention loop of its own, and reaches orchestrations through the Durable client.</summary>
public sealed class FunctionsHostServicesTests : IAsyncLifetime
{
    private FunctionsTestBed _bed = null!;

    public async Task InitializeAsync() => _bed = await FunctionsTestBed.StartAsync();

    public async Task DisposeAsync() => await _bed.DisposeAsync();

    [Fact]
    public void TheFunctionsHostRunsTheWork_NotTheApplication()
    {
        var services = _bed.Pipeline.Services;

        Assert.IsType<InProcessServer>(services.GetRequiredService<IServer>());
        Assert.IsType<DurableOrchestrationClient>(services.GetRequiredService<IOrchestrationClient>());
        Assert.Null(services.GetService<OrchestrationRuntime>());
        var hosted = services.GetServices<IHostedService>().ToList();
        Assert.DoesNotContain(hosted, s => s is OrchestrationRuntime or RetentionHostedService);
        Assert.NotEmpty(hosted);
    }

    [Theory]
    [InlineData(new[] { "--host", "127.0.0.1", "--functions-uri", "http://127.0.0.1:5000/" }, true)]
    [InlineData(new[] { "--functions-uri=http://127.0.0.1:5000/" }, true)]
    [InlineData(new[] { "--urls", "http://127.0.0.1:9000" }, false)]
    [InlineData(new string[0], false)]
    public void TheHostsEndpointArgument_SelectsTheFunctionsWorker(string[] args, bool expected) =>
        Assert.Equal(expected, FunctionsHostSignal.StartedByFunctionsHost(args, new Dictionary<string, string?>()));

    [Fact]
    public void TheHostsEndpointVariable_SelectsTheFunctionsWorker_AppSettingsAloneDoNot()
    {
        Assert.True(FunctionsHostSignal.StartedByFunctionsHost([], new Dictionary<string, string?> { ["Functions__Worker__HostEndpoint"] = "http://127.0.0.1:5000/" }));
        Assert.False(FunctionsHostSignal.StartedByFunctionsHost([], new Dictionary<string, string?>
        {
            ["FUNCTIONS_WORKER_RUNTIME"] = "dotnet-isolated",
            ["AZURE_FUNCTIONS_ENVIRONMENT"] = "Development",
        }));
    }

    [Fact]
    public void AnUnresolvedKeyVaultReference_StopsStartUp_NamingTheSetting()
    {
        var dataPath = Path.Combine(Path.GetTempPath(), "nodeops-kvref-" + Guid.NewGuid().ToString("N"));

        var error = Assert.Throws<InvalidOperationException>(() => FunctionsWorker.CreatePipeline(
        [
            $"--Host:DataPath={dataPath}",
            "--Auth:BootstrapAdminPassword=@Microsoft.KeyVault(SecretUri=https://vault.example/secrets/bootstrap-admin-password)",
        ]));

        Assert.Contains("Auth:BootstrapAdminPassword", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("vault.example", error.Message, StringComparison.Ordinal);
    }
}
