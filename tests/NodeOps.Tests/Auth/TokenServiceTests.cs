using System.Security.Cryptography;
using NodeOps.Auth;
using NodeOps.Tests.TestBed;

namespace NodeOps.Tests.Auth;

public sealed class TokenServiceTests
{
    private static readonly UserAccount Alice = new(7, "alice", Role.User, "unused", false, DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch);

    [Fact]
    public async Task Token_IsValidUntilItExpires()
    {
        var clock = new ManualTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var service = new TokenService(RandomNumberGenerator.GetBytes(32), TimeSpan.FromHours(1), clock);
        var (token, expires) = service.Issue(Alice);

        Assert.Equal(clock.GetUtcNow().AddHours(1), expires);
        Assert.Equal((7L, TokenFailure.None), await service.ValidateAsync(token));

        clock.Advance(TimeSpan.FromMinutes(61));

        Assert.Equal((null, TokenFailure.Expired), await service.ValidateAsync(token));
    }

    [Fact]
    public async Task Token_SignedWithAnotherKey_IsInvalid()
    {
        var clock = new ManualTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var issuer = new TokenService(RandomNumberGenerator.GetBytes(32), TimeSpan.FromHours(1), clock);
        var verifier = new TokenService(RandomNumberGenerator.GetBytes(32), TimeSpan.FromHours(1), clock);

        Assert.Equal((null, TokenFailure.Invalid), await verifier.ValidateAsync(issuer.Issue(Alice).Token));
    }

    [Theory]
    [InlineData(null, TokenFailure.Missing)]
    [InlineData("", TokenFailure.Missing)]
    [InlineData("not-a-jwt", TokenFailure.Invalid)]
    [InlineData("eyJhbGciOiJub25lIn0.eyJzdWIiOiIxIn0.", TokenFailure.Invalid)]
    public async Task Token_Malformed_IsRejected(string? token, TokenFailure expected)
    {
        var service = new TokenService(RandomNumberGenerator.GetBytes(32), TimeSpan.FromHours(1), TimeProvider.System);

        Assert.Equal(expected, (await service.ValidateAsync(token)).Failure);
    }

    [Fact]
    public void PasswordHash_VerifiesOnlyTheRightPassword_AndIsSalted()
    {
        var first = PasswordHasher.Hash("correct horse", 10_000);
        var second = PasswordHasher.Hash("correct horse", 10_000);

        Assert.NotEqual(first, second);
        Assert.StartsWith("pbkdf2-sha512$10000$", first, StringComparison.Ordinal);
        Assert.True(PasswordHasher.Verify("correct horse", first));
        Assert.False(PasswordHasher.Verify("correct horse!", first));
        Assert.False(PasswordHasher.Verify("correct horse", "garbage"));
    }
}
