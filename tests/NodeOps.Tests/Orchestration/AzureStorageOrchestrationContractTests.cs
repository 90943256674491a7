using NodeOps.Tests.TestBed;

namespace NodeOps.Tests.Orchestration;

/// <summary>The orchestration contract on DurableTask.AzureStorage over the real Azurite, a new task hub per test.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class AzureStorageOrchestrationContractTests(AzuriteFixture azurite) : OrchestrationContract
{
    protected override Dictionary<string, string?> NewStore() => OrchestrationStores.AzureStorage(azurite, Folder);
}
