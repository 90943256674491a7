using NodeOps.Storage;
using NodeOps.Storage.Azure;
using NodeOps.Tests.TestBed;

namespace NodeOps.Tests.Storage.Azure;

/// <summary>The token really is what lets NodeOps in: Azurite checks it, and refuses one meant for another service.</summary>
[Collection(AzuriteOAuthCollection.Name)]
public sealed class AzureTokenSignInTests(AzuriteOAuthFixture azurite)
{
    private readonly string _table = "t" + Guid.NewGuid().ToString("N");

    [Fact]
    public async Task StorageAudienceToken_IsAsked_AndAccepted()
    {
        var minter = new AzuriteTokenMinter();
        var tables = azurite.Tables(minter);

        await tables.InsertAsync(_table, new TableEntity("p", "r") { ["v"] = "signed in" });

        Assert.Equal("signed in", (await tables.GetAsync(_table, "p", "r"))!.GetString("v"));
        Assert.True(minter.Requests > 0);
    }

    [Fact]
    public async Task TokenForAnotherAudience_IsRefused_AsARequestFailure()
    {
        var vaultToken = new AzuriteTokenMinter("https://vault.azure.net");

        var tableError = await Assert.ThrowsAsync<AzureStorageRequestException>(() => azurite.Tables(vaultToken).InsertAsync(_table, new TableEntity("p", "r")));

        // 403, as Azure answers a token for the wrong audience.
        Assert.Equal(403, tableError.Status);
        Assert.Null(await azurite.Tables(new AzuriteTokenMinter()).GetAsync(_table, "p", "r"));
    }
}
