using NodeOps.Tests.TestBed;

namespace NodeOps.Tests.Storage.Azure;

/// <summary>
/// The table-store contract once more, signed in with a bearer token (no account key) against an HTTPS Azurite
/// that checks tokens and API versions: the path NodeOps takes in Azure with its managed identity.
/// </summary>
[Collection(AzuriteOAuthCollection.Name)]
public sealed class AzureTokenTableStoreTests(AzuriteOAuthFixture azurite)
    : TableStoreContract(azurite.Tables(new AzuriteTokenMinter()));
