using Azure.Core;
using Azure.Core.Pipeline;
using Microsoft.Extensions.Logging.Abstractions;
using NodeOps.Storage;
using NodeOps.Storage.Azure;

namespace NodeOps.Tests.TestBed;

/// <summary>
/// Azurite over HTTPS with "--oauth basic": it accepts a bearer token whose issuer, audience and lifetime look like
/// Microsoft Entra ID's (it does not check signatures), and it keeps its API version check on. This is how the
/// token sign-in NodeOps uses in Azure is exercised without Azure.
/// </summary>
public sealed class AzuriteOAuthFixture() : AzuriteFixture(oauth: true)
{
    /// <summary>Explicit https endpoints and no AccountKey: the form that signs in with a token.</summary>
    public string TokenConnectionString =>
        $"TableEndpoint=https://127.0.0.1:{TablePort}/{StorageConnectionString.DevelopmentAccount};" +
        $"QueueEndpoint=https://127.0.0.1:{QueuePort}/{StorageConnectionString.DevelopmentAccount};" +
        $"BlobEndpoint=https://127.0.0.1:{BlobPort}/{StorageConnectionString.DevelopmentAccount}";

    /// <summary>An HTTP transport that trusts exactly this fixture's self-signed certificate.</summary>
    public HttpPipelineTransport Transport()
    {
        var expected = Certificate ?? throw new InvalidOperationException("Azurite has not started.");
        var handler = new HttpClientHandler
        {
            ServerCertificateCustomValidationCallback = (_, certificate, _, _) => certificate is not null && certificate.RawData.AsSpan().SequenceEqual(expected.RawData),
        };
        return new HttpClientTransport(handler);
    }

    /// <summary>The table store signed in with <paramref name="credential"/>, trusting this Azurite's certificate.</summary>
    internal AzureTableStore Tables(TokenCredential credential) =>
        new(Clients(credential).Tables, new AzureResourceNames(""), NullLogger<AzureTableStore>.Instance);

    private AzureStorageClients Clients(TokenCredential credential) =>
        AzureStorageClients.Create(StorageConnectionString.Parse(TokenConnectionString), () => credential, NullLogger.Instance, Transport());
}
