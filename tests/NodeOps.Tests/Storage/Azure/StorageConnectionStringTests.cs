using NodeOps.Storage.Azure;

namespace NodeOps.Tests.Storage.Azure;

/// <summary>Which forms of Storage:ConnectionString are accepted, and whether each signs in with the key or a token.</summary>
public sealed class StorageConnectionStringTests
{
    private const string Key = "c2VjcmV0LWtleS1ieXRlcy1mb3ItdGVzdHMtb25seQ==";

    [Fact]
    public void AccountNameAndKey_SignWithTheKey_AtTheDerivedEndpoints()
    {
        var connection = StorageConnectionString.Parse($"DefaultEndpointsProtocol=https;AccountName=acme;AccountKey={Key};EndpointSuffix=core.chinacloudapi.cn");

        Assert.False(connection.UsesTokenCredential);
        Assert.Equal("acme", connection.AccountName);
        Assert.Equal(new Uri("https://acme.table.core.chinacloudapi.cn"), connection.TableEndpoint);
        Assert.Equal(new Uri("https://acme.queue.core.chinacloudapi.cn"), connection.QueueEndpoint);
        Assert.Equal(new Uri("https://acme.blob.core.chinacloudapi.cn"), connection.BlobEndpoint);
    }

    [Fact]
    public void DevelopmentStorage_SignsWithAzuritesKey()
    {
        var connection = StorageConnectionString.Parse("UseDevelopmentStorage=true");

        Assert.False(connection.UsesTokenCredential);
        Assert.Equal(StorageConnectionString.DevelopmentAccount, connection.AccountName);
        Assert.Equal(new Uri("http://127.0.0.1:10002/devstoreaccount1"), connection.TableEndpoint);
        Assert.Equal(new Uri("http://127.0.0.1:10001/devstoreaccount1"), connection.QueueEndpoint);
        Assert.Equal(new Uri("http://127.0.0.1:10000/devstoreaccount1"), connection.BlobEndpoint);
    }

    [Fact]
    public void AccountNameAlone_SignsInWithAToken()
    {
        var connection = StorageConnectionString.Parse("AccountName=acme");

        Assert.True(connection.UsesTokenCredential);
        Assert.Equal(new Uri("https://acme.table.core.windows.net"), connection.TableEndpoint);
        Assert.Equal(new Uri("https://acme.queue.core.windows.net"), connection.QueueEndpoint);
        Assert.Equal(new Uri("https://acme.blob.core.windows.net"), connection.BlobEndpoint);
    }

    [Fact]
    public void ExplicitEndpointsWithoutKey_SignInWithAToken()
    {
        var connection = StorageConnectionString.Parse(
            "TableEndpoint=https://x.table.core.windows.net/;QueueEndpoint=https://x.queue.core.windows.net;BlobEndpoint=https://x.blob.core.windows.net");

        Assert.True(connection.UsesTokenCredential);
        Assert.Null(connection.AccountName);
        Assert.Equal(new Uri("https://x.table.core.windows.net"), connection.TableEndpoint);
        Assert.Equal(new Uri("https://x.queue.core.windows.net"), connection.QueueEndpoint);
        Assert.Equal(new Uri("https://x.blob.core.windows.net"), connection.BlobEndpoint);
    }

    [Fact]
    public void ExplicitEndpointsWithKey_SignWithTheKey_AtThoseEndpoints()
    {
        var connection = StorageConnectionString.Parse(
            $"AccountName=devstoreaccount1;AccountKey={Key};TableEndpoint=http://127.0.0.1:1234/devstoreaccount1;QueueEndpoint=http://127.0.0.1:1235/devstoreaccount1;BlobEndpoint=http://127.0.0.1:1236/devstoreaccount1");

        Assert.False(connection.UsesTokenCredential);
        Assert.Equal(new Uri("http://127.0.0.1:1234/devstoreaccount1"), connection.TableEndpoint);
        Assert.Equal(new Uri("http://127.0.0.1:1235/devstoreaccount1"), connection.QueueEndpoint);
        Assert.Equal(new Uri("http://127.0.0.1:1236/devstoreaccount1"), connection.BlobEndpoint);
    }

    [Theory]
    [InlineData("", "Storage:ConnectionString is required")]
    [InlineData("garbage", "every part must look like Name=Value")]
    [InlineData("AccountName=x;AccountKey=!!notbase64", "AccountKey is not valid base64")]
    [InlineData("AccountName=x;AccountKey=", "AccountKey is empty")]
    [InlineData("AccountKey=c2VjcmV0", "AccountName is missing")]
    [InlineData("TableEndpoint=https://x.table.core.windows.net", "QueueEndpoint is missing")]
    [InlineData("QueueEndpoint=https://x.queue.core.windows.net", "TableEndpoint is missing")]
    [InlineData("AccountName=x;DefaultEndpointsProtocol=http", "TableEndpoint must be https when signing in with a token")]
    [InlineData("TableEndpoint=https://t;QueueEndpoint=https://q", "BlobEndpoint is missing")]
    [InlineData("TableEndpoint=https://t;QueueEndpoint=http://q;BlobEndpoint=https://b", "QueueEndpoint must be https when signing in with a token")]
    [InlineData("TableEndpoint=https://t;QueueEndpoint=https://q;BlobEndpoint=http://b", "BlobEndpoint must be https when signing in with a token")]
    [InlineData("AccountName=x;TableEndpoint=ftp://t", "TableEndpoint is not an http(s) URL")]
    [InlineData("AccountName=x;DefaultEndpointsProtocol=gopher", "DefaultEndpointsProtocol must be http or https")]
    [InlineData("AccountName=x;SharedAccessSignature=sv=2024&sig=c2VjcmV0", "SharedAccessSignature is not supported")]
    public void WrongForms_FailWithAMessageNamingThePart_AndNeverTheSecret(string text, string expected)
    {
        var error = Assert.Throws<FormatException>(() => StorageConnectionString.Parse(text));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("c2VjcmV0", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("notbase64", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ToString_NamesTheCredentialKind_NotTheKey()
    {
        var text = StorageConnectionString.Parse($"AccountName=acme;AccountKey={Key}").ToString();

        Assert.Contains("Credential=account key", text, StringComparison.Ordinal);
        Assert.DoesNotContain(Key, text, StringComparison.Ordinal);
        Assert.Contains("Credential=token", StorageConnectionString.Parse("AccountName=acme").ToString(), StringComparison.Ordinal);
    }
}
