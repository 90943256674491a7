namespace NodeOps.Tests.TestBed;

/// <summary>One HTTPS, token-checking Azurite for the tests of NodeOps's token sign-in.</summary>
[CollectionDefinition(Name)]
public sealed class AzuriteOAuthCollection : ICollectionFixture<AzuriteOAuthFixture>
{
    public const string Name = "AzuriteOAuth";
}
