using NodeOps.Tests.TestBed;

namespace NodeOps.Tests.Storage.Azure;

/// <summary>The work-queue contract against the Azure Queue REST adapter, talking to a real Azurite.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class AzureWorkQueueTests : WorkQueueContract, IDisposable
{
    private readonly StorageTestHost _host;

    public AzureWorkQueueTests(AzuriteFixture azurite)
        : this(StorageTestHost.Azure(azurite, MaxDequeueCount))
    {
    }

    private AzureWorkQueueTests(StorageTestHost host)
        : base(host.Queue)
    {
        _host = host;
    }

    public void Dispose() => _host.Dispose();
}
