using System.Net;
using System.Text.Json;

namespace NodeOps.Tests.TestBed;

/// <summary>A response read whole: status, headers and JSON body, with assertions that print the body on failure.</summary>
public sealed class ApiResponse
{
    private ApiResponse(HttpResponseMessage message, string body)
    {
        Status = message.StatusCode;
        Headers = message.Headers;
        Body = body;
        Json = body.Length > 0 && body.TrimStart().StartsWith('{') ? JsonDocument.Parse(body).RootElement.Clone() : default;
    }

    public HttpStatusCode Status { get; }

    public System.Net.Http.Headers.HttpResponseHeaders Headers { get; }

    public string Body { get; }

    public JsonElement Json { get; }

    public JsonElement Data => Json.GetProperty("data");

    public static async Task<ApiResponse> ReadAsync(Task<HttpResponseMessage> request)
    {
        using var message = await request;
        return new ApiResponse(message, await message.Content.ReadAsStringAsync());
    }

    public ApiResponse AssertStatus(HttpStatusCode expected)
    {
        Assert.True(Status == expected, $"expected {(int)expected} but got {(int)Status}: {Body}");
        return this;
    }

    /// <summary>Asserts the automation error envelope with the expected status and the field at fault.</summary>
    public ApiResponse AssertError(HttpStatusCode expected, string? field = null)
    {
        AssertStatus(expected);
        Assert.Equal((int)expected, Json.GetProperty("code").GetInt32());
        Assert.False(string.IsNullOrEmpty(Json.GetProperty("error").GetString()), Body);
        if (field is not null)
        {
            Assert.True(Json.TryGetProperty("field", out var actual) && actual.GetString() == field, $"expected field '{field}': {Body}");
        }

        return this;
    }
}

public static class HttpClientApiExtensions
{
    public static Task<ApiResponse> GetApiAsync(this HttpClient client, string path) =>
        ApiResponse.ReadAsync(client.GetAsync(new Uri(path, UriKind.Relative)));

    public static Task<ApiResponse> DeleteApiAsync(this HttpClient client, string path) =>
        ApiResponse.ReadAsync(client.DeleteAsync(new Uri(path, UriKind.Relative)));

    public static Task<ApiResponse> PostJsonAsync(this HttpClient client, string path, object body) =>
        ApiResponse.ReadAsync(client.PostAsync(new Uri(path, UriKind.Relative), Content(body)));

    public static Task<ApiResponse> PutJsonAsync(this HttpClient client, string path, object body) =>
        ApiResponse.ReadAsync(client.PutAsync(new Uri(path, UriKind.Relative), Content(body)));

    /// <summary>Objects are serialized as-is; a string is sent verbatim, for malformed-JSON tests.</summary>
    private static StringContent Content(object body) => new(
        body as string ?? JsonSerializer.Serialize(body),
        System.Text.Encoding.UTF8,
        "application/json");
}
