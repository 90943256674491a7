using NodeOps.Tests.TestBed;

namespace NodeOps.Tests.Catalog;

/// <summary>The catalog services on the embedded default, SQLite.</summary>
public sealed class SqliteCatalogServicesTests() : CatalogServicesContract(StorageTestHost.Sqlite());
