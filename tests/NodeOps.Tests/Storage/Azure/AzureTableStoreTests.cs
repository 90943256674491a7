using NodeOps.Tests.TestBed;

namespace NodeOps.Tests.Storage.Azure;

/// <summary>The table-store contract against the Azure Table REST adapter, talking to a real Azurite.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class AzureTableStoreTests : TableStoreContract, IDisposable
{
    private readonly StorageTestHost _host;

    public AzureTableStoreTests(AzuriteFixture azurite)
        : this(StorageTestHost.Azure(azurite))
    {
    }

    private AzureTableStoreTests(StorageTestHost host)
        : base(host.Tables)
    {
        _host = host;
    }

    public void Dispose() => _host.Dispose();
}
