namespace NodeOps.Tests.TestBed;

/// <summary>One Azurite serves every test that talks to Azure storage; each test uses its own tables and queues.</summary>
[CollectionDefinition(Name)]
public sealed class AzuriteCollection : ICollectionFixture<AzuriteFixture>
{
    public const string Name = "Azurite";
}
