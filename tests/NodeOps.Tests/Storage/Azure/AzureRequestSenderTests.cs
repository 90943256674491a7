using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using NodeOps.Storage;
using NodeOps.Storage.Azure;

namespace NodeOps.Tests.Storage.Azure;

/// <summary>The one retry policy both Azure adapters share, against a scripted HTTP handler.</summary>
public sealed class AzureRequestSenderTests
{
    private static readonly AzureRetryPolicy FastPolicy = new(5, TimeSpan.FromMilliseconds(1), TimeSpan.FromMilliseconds(5));

    [Fact]
    public async Task ThrottlingAndServerErrors_AreRetried_UntilASuccess()
    {
        var handler = new ScriptedHandler(HttpStatusCode.ServiceUnavailable, HttpStatusCode.InternalServerError, HttpStatusCode.OK);

        using var response = await Sender(handler).SendAsync(AzureServiceKind.Table, "test", Get);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(3, handler.Calls);
    }

    [Fact]
    public async Task NetworkErrors_AreRetried()
    {
        var handler = new ScriptedHandler(null, HttpStatusCode.NoContent);

        using var response = await Sender(handler).SendAsync(AzureServiceKind.Queue, "test", Get);

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal(2, handler.Calls);
    }

    [Theory]
    [InlineData(HttpStatusCode.NotFound)]
    [InlineData(HttpStatusCode.Conflict)]
    [InlineData(HttpStatusCode.PreconditionFailed)]
    [InlineData(HttpStatusCode.Forbidden)]
    public async Task ClientErrors_AreReturnedWithoutRetry(HttpStatusCode status)
    {
        var handler = new ScriptedHandler(status, HttpStatusCode.OK);

        using var response = await Sender(handler).SendAsync(AzureServiceKind.Table, "test", Get);

        Assert.Equal(status, response.StatusCode);
        Assert.Equal(1, handler.Calls);
    }

    [Fact]
    public async Task PersistentUnavailability_EndsInStoreUnavailable_AfterFiveAttempts_WithoutTheKey()
    {
        var handler = new ScriptedHandler(Enumerable.Repeat<HttpStatusCode?>(HttpStatusCode.ServiceUnavailable, 10).ToArray());

        var error = await Assert.ThrowsAsync<StoreUnavailableException>(() => Sender(handler).SendAsync(AzureServiceKind.Table, "insert entity", Get));

        Assert.Equal(5, handler.Calls);
        Assert.Contains("503", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(StorageConnectionString.DevelopmentKey, error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task EveryAttempt_IsSignedAfresh()
    {
        var handler = new ScriptedHandler(HttpStatusCode.ServiceUnavailable, HttpStatusCode.OK);

        using var response = await Sender(handler).SendAsync(AzureServiceKind.Queue, "test", Get);

        Assert.Equal(2, handler.Authorizations.Count);
        Assert.All(handler.Authorizations, a => Assert.StartsWith("SharedKey devstoreaccount1:", a, StringComparison.Ordinal));
        Assert.All(handler.Authorizations, a => Assert.DoesNotContain(StorageConnectionString.DevelopmentKey, a, StringComparison.Ordinal));
    }

    [Fact]
    public void Signer_DoesNotShowTheKey()
    {
        var signer = new AzureSharedKeySigner(StorageConnectionString.DevelopmentAccount, Convert.FromBase64String(StorageConnectionString.DevelopmentKey));

        Assert.DoesNotContain(StorageConnectionString.DevelopmentKey, signer.ToString(), StringComparison.Ordinal);
    }

    private static HttpRequestMessage Get() => new(HttpMethod.Get, "http://127.0.0.1:1/devstoreaccount1/thing?comp=metadata");

    private static AzureRequestSender Sender(HttpMessageHandler handler) => new(
        new SingleClientFactory(handler),
        new AzureSharedKeySigner(StorageConnectionString.DevelopmentAccount, Convert.FromBase64String(StorageConnectionString.DevelopmentKey)),
        TimeProvider.System,
        NullLogger<AzureRequestSender>.Instance,
        FastPolicy);

    private sealed class SingleClientFactory(HttpMessageHandler handler) : IHttpClientFactory
    {
        public HttpClient CreateClient(string name) => new(handler, disposeHandler: false);
    }

    /// <summary>Answers with the scripted statuses in turn; a null entry is a connection failure.</summary>
    private sealed class ScriptedHandler(params HttpStatusCode?[] script) : HttpMessageHandler
    {
        public int Calls { get; private set; }

        public List<string> Authorizations { get; } = [];

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Authorizations.Add(request.Headers.Authorization?.ToString() ?? "");
            var status = script[Math.Min(Calls, script.Length - 1)];
            Calls++;
            return status is null
                ? throw new HttpRequestException(HttpRequestError.ConnectionError, "connection refused")
                : Task.FromResult(new HttpResponseMessage(status.Value));
        }
    }
}
