using System.Net;
using NodeOps.Tests.TestBed;

namespace NodeOps.Tests.Assistant;

/// <summary>Asserts the assistant surface's error body: {error, status: "error", error_code, error_details, timestamp, request_id}.</summary>
public static class AssistantErrors
{
    public static void Assert(ApiResponse response, HttpStatusCode status, string code, string? field = null)
    {
        response.AssertStatus(status);
        var json = response.Json;
        Xunit.Assert.False(string.IsNullOrEmpty(json.GetProperty("error").GetString()), response.Body);
        Xunit.Assert.Equal("error", json.GetProperty("status").GetString());
        Xunit.Assert.Equal(code, json.GetProperty("error_code").GetString());
        Xunit.Assert.True(json.GetProperty("error_details").TryGetProperty("message", out _), response.Body);
        Xunit.Assert.True(DateTimeOffset.TryParse(json.GetProperty("timestamp").GetString(), System.Globalization.CultureInfo.InvariantCulture, out _), response.Body);
        Xunit.Assert.StartsWith("req_", json.GetProperty("request_id").GetString(), StringComparison.Ordinal);
        if (field is not null)
        {
            Xunit.Assert.Equal(field, json.GetProperty("error_details").GetProperty("field").GetString());
        }
    }
}
