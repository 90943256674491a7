using NodeOps.Tests.TestBed;

namespace NodeOps.Tests.Orchestration;

/// <summary>Crash-and-restart and two workers on one task hub of the real Azurite.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class AzureStorageOrchestrationProcessTests(AzuriteFixture azurite) : OrchestrationProcessContract
{
    protected override Dictionary<string, string?> NewStore() => OrchestrationStores.AzureStorage(azurite, Folder);
}
