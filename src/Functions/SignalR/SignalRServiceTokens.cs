using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace NodeOps.Functions.SignalR;

/// <summary>
/// Tokens the Azure SignalR Service accepts, signed (HS256) with its access key: the audience is the URL the token is
/// for (a REST request's URL without its query, or the client URL), and a client token's <c>nameid</c> is the user
/// id the service reports back on upstream calls. The service's own tokens never reach NodeOps's API.
/// </summary>
internal sealed class SignalRServiceTokens(SignalRServiceEndpoint endpoint, TimeProvider time)
{
    public const string UserIdClaim = "nameid";
    private static readonly TimeSpan RestTokenLifetime = TimeSpan.FromMinutes(5);
    private readonly SymmetricSecurityKey _key = new(Encoding.UTF8.GetBytes(endpoint.AccessKey));
    private readonly JsonWebTokenHandler _handler = new() { SetDefaultTimesOnTokenCreation = false };

    public string ForRest(string requestUrlWithoutQuery) => Create(requestUrlWithoutQuery, RestTokenLifetime, []);

    public string ForClient(string userId, TimeSpan lifetime) => Create(endpoint.ClientUrl, lifetime, [new Claim(UserIdClaim, userId)]);

    /// <summary>
    /// Checks an upstream call's X-ASRS-Signature: "sha256=&lt;hex&gt;" per access key (comma-separated while keys
    /// rotate), each the HMAC-SHA256 of the connection id under that key.
    /// </summary>
    public bool IsValidUpstreamSignature(string connectionId, string? signatureHeader)
    {
        if (string.IsNullOrEmpty(connectionId) || string.IsNullOrEmpty(signatureHeader))
        {
            return false;
        }

        var expected = Encoding.ASCII.GetBytes("sha256=" + UpstreamSignature(endpoint.AccessKey, connectionId));
        return signatureHeader.Split(',', StringSplitOptions.TrimEntries)
            .Any(candidate => CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(candidate.ToLowerInvariant()), expected));
    }

    public static string UpstreamSignature(string accessKey, string connectionId) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(accessKey), Encoding.UTF8.GetBytes(connectionId)));

    private string Create(string audience, TimeSpan lifetime, Claim[] claims)
    {
        var now = time.GetUtcNow().UtcDateTime;
        return _handler.CreateToken(new SecurityTokenDescriptor
        {
            Audience = audience,
            IssuedAt = now,
            NotBefore = now,
            Expires = now + lifetime,
            Subject = new ClaimsIdentity(claims),
            SigningCredentials = new SigningCredentials(_key, SecurityAlgorithms.HmacSha256),
        });
    }
}
