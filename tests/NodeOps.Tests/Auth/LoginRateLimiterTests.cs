using System.Net;
using Microsoft.Extensions.Options;
using NodeOps.Auth;
using NodeOps.Tests.TestBed;

namespace NodeOps.Tests.Auth;

public sealed class LoginRateLimiterTests : IDisposable
{
    private readonly StorageTestHost _storage = StorageTestHost.Sqlite();
    private readonly ManualTimeProvider _clock = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));

    public void Dispose() => _storage.Dispose();

    [Fact]
    public async Task FifthFailure_Blocks_UntilTheOldestLeavesTheWindow()
    {
        var limiter = Limiter();
        for (var i = 0; i < 5; i++)
        {
            Assert.Null(await limiter.RetryAfterSecondsAsync("10.0.0.1", "alice"));
            await limiter.RecordFailureAsync("10.0.0.1", "alice");
            _clock.Advance(TimeSpan.FromMinutes(1));
        }

        // The first failure was 5 minutes ago; the window is 15 minutes.
        Assert.Equal(600, await limiter.RetryAfterSecondsAsync("10.0.0.1", "ALICE"));
        Assert.Null(await limiter.RetryAfterSecondsAsync("10.0.0.2", "alice"));

        _clock.Advance(TimeSpan.FromMinutes(10));

        Assert.Null(await limiter.RetryAfterSecondsAsync("10.0.0.1", "alice"));
    }

    [Fact]
    public async Task Reset_ForgetsThePairsFailures()
    {
        var limiter = Limiter();
        for (var i = 0; i < 5; i++)
        {
            await limiter.RecordFailureAsync("10.0.0.1", "bob");
        }

        await limiter.ResetAsync("10.0.0.1", "bob");

        Assert.Null(await limiter.RetryAfterSecondsAsync("10.0.0.1", "bob"));
    }

    [Fact]
    public async Task ConcurrentFailures_AreAllCounted()
    {
        var limiter = Limiter(maxFailures: 20);

        await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => limiter.RecordFailureAsync("10.0.0.1", "carol")));

        Assert.NotNull(await limiter.RetryAfterSecondsAsync("10.0.0.1", "carol"));
    }

    [Fact]
    public async Task RotatingNames_ExhaustTheClientsBudget_AndBlockEveryName()
    {
        var limiter = Limiter(perClient: 10);
        for (var i = 0; i < 10; i++)
        {
            Assert.Null(await limiter.RetryAfterSecondsAsync("10.0.0.1", "name-" + i));
            await limiter.RecordFailureAsync("10.0.0.1", "name-" + i);
            _clock.Advance(TimeSpan.FromMinutes(1));
        }

        // No single name reached its own 5 tries, yet the address is spent: its oldest failure leaves in 5 minutes.
        Assert.Equal(300, await limiter.RetryAfterSecondsAsync("10.0.0.1", "a-name-never-tried"));
        Assert.Equal(300, await limiter.RetryAfterSecondsAsync("10.0.0.1", "name-3"));
        Assert.Null(await limiter.RetryAfterSecondsAsync("10.0.0.2", "name-3"));

        _clock.Advance(TimeSpan.FromMinutes(5));

        Assert.Null(await limiter.RetryAfterSecondsAsync("10.0.0.1", "a-name-never-tried"));
    }

    [Fact]
    public async Task ClientBlock_IsSharedByInstances_AndOutlastsTheMemoryOfTheOneThatSawIt()
    {
        var first = Limiter(perClient: 6);
        var second = Limiter(perClient: 6);
        for (var i = 0; i < 6; i++)
        {
            await (i % 2 == 0 ? first : second).RecordFailureAsync("10.0.0.1", "name-" + i);
        }

        Assert.Equal(900, await first.RetryAfterSecondsAsync("10.0.0.1", "other"));
        Assert.Equal(900, await second.RetryAfterSecondsAsync("10.0.0.1", "other"));
        // A fresh instance, with nothing in memory, reads the block from the store.
        Assert.Equal(900, await Limiter(perClient: 6).RetryAfterSecondsAsync("10.0.0.1", "other"));

        _clock.Advance(TimeSpan.FromMinutes(15));

        Assert.Null(await first.RetryAfterSecondsAsync("10.0.0.1", "other"));
    }

    [Fact]
    public async Task Reset_KeepsTheClientsCount()
    {
        var limiter = Limiter(perClient: 6);
        for (var i = 0; i < 5; i++)
        {
            await limiter.RecordFailureAsync("10.0.0.1", "name-" + i);
        }

        // A success on one name, as an attacker who owns one account could arrange, does not buy more guesses.
        await limiter.ResetAsync("10.0.0.1", "own-account");
        await limiter.RecordFailureAsync("10.0.0.1", "name-5");

        Assert.NotNull(await limiter.RetryAfterSecondsAsync("10.0.0.1", "own-account"));
    }

    [Theory]
    [InlineData("203.0.113.9", "203.0.113.9")]
    [InlineData("::ffff:203.0.113.9", "203.0.113.9")]
    [InlineData("2001:db8:1:2:aaaa:bbbb:cccc:dddd", "2001:db8:1:2::/64")]
    [InlineData("2001:db8:1:2::1", "2001:db8:1:2::/64")]
    [InlineData("::1", "::1")]
    public void LoginClient_CountsIPv6ByItsPrefix(string address, string counted)
    {
        Assert.Equal(counted, LoginClient.Of(IPAddress.Parse(address)));
        Assert.Equal("unknown", LoginClient.Of(null));
    }

    private LoginRateLimiter Limiter(int maxFailures = 5, int perClient = 50) =>
        new(_storage.Tables, _clock, Options.Create(new AuthOptions
        {
            MaxLoginFailures = maxFailures,
            MaxLoginFailuresPerClient = perClient,
            LoginFailureWindow = TimeSpan.FromMinutes(15),
        }));
}
