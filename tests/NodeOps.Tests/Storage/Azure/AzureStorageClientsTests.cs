using System.Net;
using System.Text;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Identity;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using NodeOps.Storage;
using NodeOps.Storage.Azure;
using NodeOps.Tests.Api;
using SdkEntity = Azure.Data.Tables.TableEntity;

namespace NodeOps.Tests.Storage.Azure;

/// <summary>
/// How the SDK clients sign in and retry, against a scripted HTTP handler (no network): the credential the
/// connection string chose is the one on the wire, and the pipeline's retries end in the port's exceptions.
/// </summary>
public sealed class AzureStorageClientsTests
{
    private const string Key = "c2VjcmV0LWtleS1ieXRlcy1mb3ItdGVzdHMtb25seQ==";

    [Fact]
    public async Task NoKey_SendsTheTokenCredentialsBearerToken()
    {
        var handler = new ScriptedHandler(HttpStatusCode.NotFound);
        var credential = new FixedTokenCredential();
        var clients = AzureStorageClients.Create(
            StorageConnectionString.Parse("AccountName=acme"), () => credential, NullLogger.Instance, new HttpClientTransport(handler));

        await clients.Tables.GetTableClient("things").GetEntityIfExistsAsync<SdkEntity>("p", "r");

        var request = Assert.Single(handler.Requests);
        Assert.Equal("Bearer token-for-storage", request.Authorization);
        Assert.Equal("acme.table.core.windows.net", request.Uri.Host);
        Assert.Contains("https://storage.azure.com/.default", credential.Scopes);
    }

    [Fact]
    public async Task Key_SignsWithTheSharedKey_AndNeverAsksForAToken()
    {
        var handler = new ScriptedHandler(HttpStatusCode.NotFound);
        var clients = AzureStorageClients.Create(
            StorageConnectionString.Parse($"AccountName=acme;AccountKey={Key}"),
            () => throw new InvalidOperationException("a key was given: no token credential may be built"),
            NullLogger.Instance,
            new HttpClientTransport(handler));

        await clients.Tables.GetTableClient("things").GetEntityIfExistsAsync<SdkEntity>("p", "r");

        // Tables sign with SharedKeyLite: the account key's HMAC, never the key.
        var request = Assert.Single(handler.Requests);
        Assert.Matches("^SharedKeyLite acme:", request.Authorization);
        Assert.DoesNotContain(Key, request.Authorization, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Throttling_IsRetriedByThePipeline_UntilASuccess_AndEachRetryIsLogged()
    {
        var handler = new ScriptedHandler(HttpStatusCode.ServiceUnavailable, HttpStatusCode.InternalServerError, HttpStatusCode.NotFound);
        using var logs = new CapturingLoggerProvider();

        Assert.Null(await Store(handler, logs.CreateLogger("storage")).GetAsync("things", "p", "r"));

        Assert.Equal(3, handler.Requests.Count);
        var retries = logs.Lines.Where(l => l.Contains("[2101]", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, retries.Count);
        Assert.Contains("GET acme.table.core.windows.net/things: retry 1", retries[0], StringComparison.Ordinal);
        Assert.Contains("retry 2", retries[1], StringComparison.Ordinal);
        Assert.All(logs.Lines, l => Assert.DoesNotContain(Key, l, StringComparison.Ordinal));
    }

    [Fact]
    public async Task ThrottlingThatOutlastsTheRetries_IsStoreUnavailable()
    {
        var handler = new ScriptedHandler(Enumerable.Repeat(HttpStatusCode.ServiceUnavailable, 10).ToArray());

        await Assert.ThrowsAsync<StoreUnavailableException>(() => Store(handler).GetAsync("things", "p", "r"));
        Assert.Equal(5, handler.Requests.Count);
    }

    [Fact]
    public async Task Conflict_IsNotRetried_AndBecomesEntityAlreadyExists()
    {
        var handler = new ScriptedHandler(HttpStatusCode.Conflict);

        await Assert.ThrowsAsync<EntityAlreadyExistsException>(() => Store(handler).InsertAsync("things", new TableEntity("p", "r")));
        Assert.Single(handler.Requests);
    }

    [Fact]
    public async Task Forbidden_IsNotRetried_AndKeepsTheServicesErrorCode()
    {
        var handler = new ScriptedHandler(HttpStatusCode.Forbidden);

        var error = await Assert.ThrowsAsync<AzureStorageRequestException>(() => Store(handler).GetAsync("things", "p", "r"));
        Assert.Equal(403, error.Status);
        Assert.Equal("Scripted403", error.ErrorCode);
        Assert.Single(handler.Requests);
    }

    [Fact]
    public void TheTokenCredential_IsDefaultAzureCredential() =>
        Assert.IsType<DefaultAzureCredential>(AzureStorageRegistration.TokenCredential("00000000-0000-0000-0000-000000000001"));

    private static AzureTableStore Store(ScriptedHandler handler, ILogger? logger = null)
    {
        var clients = AzureStorageClients.Create(
            StorageConnectionString.Parse($"AccountName=acme;AccountKey={Key}"), () => new FixedTokenCredential(),
            logger ?? NullLogger.Instance, new HttpClientTransport(handler));
        return new AzureTableStore(clients.Tables, new AzureResourceNames(""), NullLogger<AzureTableStore>.Instance);
    }

    private sealed record SeenRequest(Uri Uri, string? Authorization);

    private sealed class FixedTokenCredential : TokenCredential
    {
        public List<string> Scopes { get; } = [];

        public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken)
        {
            Scopes.AddRange(requestContext.Scopes);
            return new AccessToken("token-for-storage", DateTimeOffset.UtcNow.AddHours(1));
        }

        public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
            ValueTask.FromResult(GetToken(requestContext, cancellationToken));
    }

    /// <summary>Answers with the given statuses in turn; errors carry a service error code as the real service does.</summary>
    private sealed class ScriptedHandler(params HttpStatusCode[] statuses) : HttpMessageHandler
    {
        private int _next;

        public List<SeenRequest> Requests { get; } = [];

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Requests.Add(new SeenRequest(
                request.RequestUri!,
                request.Headers.Authorization?.ToString()));
            var status = statuses[Math.Min(_next++, statuses.Length - 1)];
            var response = new HttpResponseMessage(status) { RequestMessage = request };
            if ((int)status >= 400)
            {
                var code = status switch
                {
                    HttpStatusCode.NotFound => "ResourceNotFound",
                    HttpStatusCode.Conflict => "EntityAlreadyExists",
                    _ => $"Scripted{(int)status}",
                };
                response.Headers.Add("x-ms-error-code", code);
                response.Content = new StringContent(
                    "{\"odata.error\":{\"code\":\"" + code + "\",\"message\":{\"lang\":\"en-US\",\"value\":\"scripted\"}}}", Encoding.UTF8, "application/json");
            }
            else
            {
                response.Content = new StringContent("");
            }

            return Task.FromResult(response);
        }
    }
}
