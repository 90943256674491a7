using Microsoft.Extensions.Options;
using NodeOps.Storage;
using NodeOps.Tests.TestBed;

namespace NodeOps.Tests.Storage.Azure;

/// <summary>Storage:TablePrefix lets several deployments share one account: every table name gets it.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class AzureStoragePrefixTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task Prefix_IsAddedToTableNames()
    {
        var table = "t" + Guid.NewGuid().ToString("N")[..20];
        using var prefixed = StorageTestHost.Azure(azurite, tablePrefix: "Deploy7");
        using var plain = StorageTestHost.Azure(azurite);

        await prefixed.Tables.InsertAsync(table, new TableEntity("p", "r") { ["v"] = "mine" });

        Assert.Null(await plain.Tables.GetAsync(table, "p", "r"));
        Assert.Equal("mine", (await plain.Tables.GetAsync("Deploy7" + table, "p", "r"))!.GetString("v"));
    }

    [Theory]
    [InlineData("7up")]
    [InlineData("has-dash")]
    [InlineData("under_score")]
    public void InvalidPrefix_FailsAtStartUp(string prefix) =>
        Assert.Throws<OptionsValidationException>(() => StorageTestHost.Azure(azurite, tablePrefix: prefix));
}
