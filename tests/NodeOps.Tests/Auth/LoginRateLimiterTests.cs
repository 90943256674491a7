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

    private LoginRateLimiter Limiter(int maxFailures = 5) =>
        new(_storage.Tables, _clock, Options.Create(new AuthOptions { MaxLoginFailures = maxFailures, LoginFailureWindow = TimeSpan.FromMinutes(15) }));
}
