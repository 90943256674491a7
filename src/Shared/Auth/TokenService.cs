using System.Globalization;
using System.Security.Claims;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace NodeOps.Auth;

public enum TokenFailure
{
    None,
    Missing,
    Invalid,
    Expired,
}

/// <summary>HMAC-SHA256 JWTs. Only the subject is trusted from a token: the role is read from the user record on every request.</summary>
public sealed class TokenService
{
    private const string Issuer = "nodeops";
    private const string Audience = "nodeops-api";
    private readonly SymmetricSecurityKey _key;
    private readonly TimeSpan _lifetime;
    private readonly TimeProvider _time;
    private readonly JsonWebTokenHandler _handler = new() { SetDefaultTimesOnTokenCreation = false };

    public TokenService(byte[] signingKey, TimeSpan lifetime, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(signingKey);
        if (signingKey.Length < 32)
        {
            throw new ArgumentException("The token signing key must be at least 32 bytes.", nameof(signingKey));
        }

        _key = new SymmetricSecurityKey(signingKey);
        _lifetime = lifetime;
        _time = time;
    }

    public (string Token, DateTimeOffset ExpiresAt) Issue(UserAccount account)
    {
        ArgumentNullException.ThrowIfNull(account);
        var now = _time.GetUtcNow();
        var expires = now + _lifetime;
        var token = _handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = Issuer,
            Audience = Audience,
            IssuedAt = now.UtcDateTime,
            NotBefore = now.UtcDateTime.AddSeconds(-1),
            Expires = expires.UtcDateTime,
            Subject = new ClaimsIdentity(
            [
                new Claim(JwtRegisteredClaimNames.Sub, account.Id.ToString(CultureInfo.InvariantCulture)),
                new Claim(JwtRegisteredClaimNames.Name, account.Username),
                new Claim(JwtRegisteredClaimNames.Jti, Guid.NewGuid().ToString("N")),
            ]),
            SigningCredentials = new SigningCredentials(_key, SecurityAlgorithms.HmacSha256),
        });
        return (token, expires);
    }

    /// <summary>The user id in a valid token, or why there is none.</summary>
    public async Task<(long? UserId, TokenFailure Failure)> ValidateAsync(string? token)
    {
        if (string.IsNullOrWhiteSpace(token))
        {
            return (null, TokenFailure.Missing);
        }

        if (token.Length > 4096)
        {
            return (null, TokenFailure.Invalid);
        }

        var result = await _handler.ValidateTokenAsync(token, new TokenValidationParameters
        {
            ValidIssuer = Issuer,
            ValidAudience = Audience,
            IssuerSigningKey = _key,
            ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
            ClockSkew = TimeSpan.FromSeconds(30),
            LifetimeValidator = (notBefore, expires, _, _) =>
            {
                var now = _time.GetUtcNow().UtcDateTime;
                return expires is not null && expires.Value > now.AddSeconds(-30) && (notBefore is null || notBefore.Value <= now.AddSeconds(30));
            },
        }).ConfigureAwait(false);

        if (!result.IsValid)
        {
            return (null, result.Exception is SecurityTokenInvalidLifetimeException or SecurityTokenExpiredException ? TokenFailure.Expired : TokenFailure.Invalid);
        }

        var sub = result.ClaimsIdentity.FindFirst(JwtRegisteredClaimNames.Sub)?.Value;
        return long.TryParse(sub, NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? (id, TokenFailure.None) : (null, TokenFailure.Invalid);
    }
}
