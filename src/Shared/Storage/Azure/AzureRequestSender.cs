using System.Globalization;
using System.Net.Http.Headers;
using Microsoft.Extensions.Logging;

namespace NodeOps.Storage.Azure;

/// <summary>
/// Sends signed requests to the Table and Queue services with one retry policy for both. A request is built
/// afresh for every attempt because an HttpRequestMessage cannot be sent twice and the signature covers the date.
/// </summary>
internal sealed class AzureRequestSender(
    IHttpClientFactory httpClientFactory,
    AzureSharedKeySigner signer,
    TimeProvider time,
    ILogger<AzureRequestSender> logger,
    AzureRetryPolicy policy)
{
    public const string HttpClientName = "NodeOps.AzureStorage";

    /// <summary>A version both Azure and Azurite accept, recent enough for JSON tables and messages that never expire.</summary>
    public const string ApiVersion = "2019-02-02";

    /// <summary>
    /// Returns the first answer that is not transient (success or not: callers map 404, 409, 412 themselves).
    /// Throws <see cref="StoreUnavailableException"/> when every attempt failed transiently.
    /// </summary>
    public async Task<HttpResponseMessage> SendAsync(
        AzureServiceKind service, string operation, Func<HttpRequestMessage> createRequest, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(createRequest);
        var client = httpClientFactory.CreateClient(HttpClientName);
        string reason = "no attempt";
        Exception? lastException = null;
        for (var attempt = 1; attempt <= policy.MaxAttempts; attempt++)
        {
            using var request = createRequest();
            request.Headers.TryAddWithoutValidation("x-ms-date", time.GetUtcNow().ToString("R", CultureInfo.InvariantCulture));
            request.Headers.TryAddWithoutValidation("x-ms-version", ApiVersion);
            request.Headers.TryAddWithoutValidation("x-ms-client-request-id", Guid.NewGuid().ToString());
            if (service == AzureServiceKind.Table)
            {
                request.Headers.TryAddWithoutValidation("DataServiceVersion", "3.0");
                request.Headers.TryAddWithoutValidation("MaxDataServiceVersion", "3.0;NetFx");
            }

            signer.Sign(request, service);
            try
            {
                var response = await client.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
                if (!AzureRetryPolicy.IsTransient(response.StatusCode))
                {
                    return response;
                }

                reason = $"HTTP {(int)response.StatusCode} {response.ReasonPhrase}";
                lastException = null;
                response.Dispose();
            }
            catch (HttpRequestException ex)
            {
                reason = ex.HttpRequestError.ToString();
                lastException = ex;
            }
            catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
            {
                // HttpClient.Timeout surfaces as a cancellation that nobody asked for.
                reason = "timeout";
                lastException = ex;
            }

            if (attempt < policy.MaxAttempts)
            {
                var delay = policy.DelayBefore(attempt);
                AzureStorageLog.RetryingRequest(logger, service, operation, attempt, reason, (long)delay.TotalMilliseconds);
                await Task.Delay(delay, time, cancellationToken).ConfigureAwait(false);
            }
        }

        throw new StoreUnavailableException(
            $"Azure {service} {operation} failed after {policy.MaxAttempts} attempts; last failure: {reason}.", lastException);
    }

    /// <summary>Body content with an exact Content-Type, because the signature covers the header as sent.</summary>
    public static ByteArrayContent Content(byte[] body, string contentType)
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        return content;
    }
}
