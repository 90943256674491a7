using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using NodeOps.Orchestration;
using NodeOps.OrchestrationTestHost.Contract;
using NodeOps.Tests.TestBed;

namespace NodeOps.Tests.Orchestration;

/// <summary>
/// A connection string without a key makes the Durable Task hub sign in with the token credential, as the table
/// store does: on the HTTPS, token-checking Azurite an orchestration runs, and a token for another service is refused.
/// </summary>
[Collection(AzuriteOAuthCollection.Name)]
public sealed class AzureStorageIdentityOrchestrationTests(AzuriteOAuthFixture azurite)
{
    [Fact]
    public async Task NoKey_TheHubSignsInWithTheToken_AndRunsAnOrchestration()
    {
        var minter = new AzuriteTokenMinter();
        await using var runtime = await StartAsync(minter);

        var id = await runtime.Client.StartAsync(nameof(EchoOrchestrator), "signed in", null, CancellationToken.None);
        var state = await runtime.Client.WaitForCompletionAsync(id, TimeSpan.FromMinutes(3), CancellationToken.None);

        Assert.Equal(OrchestrationRuntimeStatus.Completed, state?.Status);
        Assert.Equal("signed in", state!.ReadOutput<string>());
        Assert.True(minter.Requests > 0);
    }

    [Fact]
    public async Task NoKey_ATokenForAnotherService_IsRefused()
    {
        await Assert.ThrowsAnyAsync<Exception>(async () =>
        {
            await using var runtime = await StartAsync(new AzuriteTokenMinter("https://vault.azure.net"));
        });
    }

    private async Task<OrchestrationRuntime> StartAsync(AzuriteTokenMinter credential)
    {
        var options = new OrchestrationOptions { TaskHubName = "t" + Guid.NewGuid().ToString("N")[..20], PartitionCount = 1 };
        var backend = OrchestrationBackend.AzureStorage(azurite.TokenConnectionString, () => credential, options, NullLoggerFactory.Instance, azurite.Transport());
        var registry = new OrchestrationRegistry();
        ContractRegistry.Register(registry);
        var runtime = new OrchestrationRuntime(backend, registry, new ServiceCollection().BuildServiceProvider(), TimeProvider.System, NullLoggerFactory.Instance);
        try
        {
            await runtime.StartAsync(CancellationToken.None);
            return runtime;
        }
        catch
        {
            await runtime.DisposeAsync();
            throw;
        }
    }
}
