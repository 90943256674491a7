using NodeOps.Tests.TestBed;

namespace NodeOps.Tests.Catalog;

/// <summary>The catalog services on Azure Table Storage, through a real Azurite; each test has its own table prefix.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class AzuriteCatalogServicesTests(AzuriteFixture azurite)
    : CatalogServicesContract(StorageTestHost.Azure(azurite, tablePrefix: "cat" + Guid.NewGuid().ToString("N")[..8]));
