using System.Text;
using System.Text.Json;
using Azure.Core;

namespace NodeOps.Tests.TestBed;

/// <summary>Mints unsigned Entra-shaped tokens for the given audience, counting how often it was asked.</summary>
public sealed class AzuriteTokenMinter(string audience = "https://storage.azure.com") : TokenCredential
{
    private int _requests;

    public int Requests => _requests;

    public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _requests);
        var now = TimeProvider.System.GetUtcNow();
        var claims = new Dictionary<string, object>
        {
            ["aud"] = audience,
            ["iss"] = "https://sts.windows.net/00000000-0000-0000-0000-000000000001/",
            ["iat"] = now.AddMinutes(-1).ToUnixTimeSeconds(),
            ["nbf"] = now.AddMinutes(-1).ToUnixTimeSeconds(),
            ["exp"] = now.AddHours(1).ToUnixTimeSeconds(),
            ["oid"] = "nodeops-test-identity",
        };
        var token = $"{Part("""{"alg":"RS256","typ":"JWT"}""")}.{Part(JsonSerializer.Serialize(claims))}.{Part("unsigned")}";
        return new AccessToken(token, now.AddHours(1));
    }

    public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
        ValueTask.FromResult(GetToken(requestContext, cancellationToken));

    private static string Part(string json) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes(json)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
