using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.Extensions.Options;

namespace NodeOps.Functions.SignalR;

/// <summary>
/// The Azure SignalR Service data-plane REST API (version 2022-06-01) for the progress hub: group membership and
/// sends. Each call carries a fresh token whose audience is its URL; 429, 5xx and network failures are retried
/// with a doubling pause, anything else fails at once.
/// </summary>
internal sealed class SignalRRestClient(
    HttpClient http,
    SignalRServiceEndpoint endpoint,
    SignalRServiceTokens tokens,
    IOptions<SignalROptions> options,
    TimeProvider time,
    ILogger<SignalRRestClient> logger)
{
    public const string ApiVersion = "2022-06-01";

    public Task AddToGroupAsync(string group, string connectionId, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Put, $"/groups/{Uri.EscapeDataString(group)}/connections/{Uri.EscapeDataString(connectionId)}", null, cancellationToken);

    public Task RemoveFromGroupAsync(string group, string connectionId, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Delete, $"/groups/{Uri.EscapeDataString(group)}/connections/{Uri.EscapeDataString(connectionId)}", null, cancellationToken);

    public Task SendToGroupAsync(string group, string target, JsonElement argument, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Post, $"/groups/{Uri.EscapeDataString(group)}/:send", Message(target, argument), cancellationToken);

    public Task SendToConnectionAsync(string connectionId, string target, JsonElement argument, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Post, $"/connections/{Uri.EscapeDataString(connectionId)}/:send", Message(target, argument), cancellationToken);

    private static byte[] Message(string target, JsonElement argument) =>
        JsonSerializer.SerializeToUtf8Bytes(new { target, arguments = new[] { argument } });

    private async Task SendAsync(HttpMethod method, string pathUnderHub, byte[]? body, CancellationToken cancellationToken)
    {
        var url = endpoint.RestUrl(pathUnderHub);
        var delay = options.Value.RetryDelay;
        for (var attempt = 1; ; attempt++)
        {
            string failure;
            try
            {
                using var request = new HttpRequestMessage(method, url + "?api-version=" + ApiVersion);
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", tokens.ForRest(url));
                if (body is not null)
                {
                    request.Content = new ByteArrayContent(body);
                    request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
                }

                using var response = await http.SendAsync(request, cancellationToken);
                if (response.IsSuccessStatusCode)
                {
                    return;
                }

                failure = $"{(int)response.StatusCode} {response.ReasonPhrase}";
                if (response.StatusCode != HttpStatusCode.TooManyRequests && (int)response.StatusCode < 500)
                {
                    throw new SignalRServiceException($"Azure SignalR Service refused {method} {pathUnderHub}: {failure}");
                }
            }
            catch (HttpRequestException ex)
            {
                failure = ex.Message;
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                failure = "timed out";
            }

            if (attempt >= options.Value.MaxAttempts)
            {
                throw new SignalRServiceException($"Azure SignalR Service did not take {method} {pathUnderHub} after {attempt} tries: {failure}");
            }

            logger.LogWarning("Azure SignalR Service {Method} {Path} failed ({Failure}); try {Attempt} of {MaxAttempts}", method, pathUnderHub, failure, attempt, options.Value.MaxAttempts);
            await Task.Delay(delay, time, cancellationToken);
            delay *= 2;
        }
    }
}

internal sealed class SignalRServiceException(string message) : Exception(message);
