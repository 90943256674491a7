using NodeOps.Tests.TestBed;

namespace NodeOps.Tests.Storage.Azure;

/// <summary>
/// The work-queue contract signed in with a bearer token against an HTTPS Azurite whose API version check is on,
/// which also shows that the pinned queue service version (2026-06-06) is one Azurite 3.37 accepts.
/// </summary>
[Collection(AzuriteOAuthCollection.Name)]
public sealed class AzureTokenWorkQueueTests(AzuriteOAuthFixture azurite)
    : WorkQueueContract(azurite.Queue(new AzuriteTokenMinter(), MaxDequeueCount));
