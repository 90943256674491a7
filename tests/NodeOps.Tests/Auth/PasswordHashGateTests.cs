using Microsoft.Extensions.Options;
using NodeOps.Auth;
using NodeOps.Errors;
using NodeOps.Tests.TestBed;

namespace NodeOps.Tests.Auth;

public sealed class PasswordHashGateTests : IDisposable
{
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(60);
    private readonly ManualTimeProvider _clock = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
    private readonly ManualResetEventSlim _release = new();

    public void Dispose()
    {
        _release.Set();
        _release.Dispose();
    }

    [Fact]
    public async Task FullGate_RefusesBeyondTheWaitingRoom_AtOnce_With429AndRetryAfter()
    {
        using var gate = Gate(slots: 1, waiting: 1);
        var running = gate.RunAsync(Held);
        var waiting = gate.RunAsync(() => 2);

        var refused = await Assert.ThrowsAsync<NodeOpsException>(() => gate.RunAsync(() => 3));

        Assert.Equal(ErrorKind.TooManyRequests, refused.Kind);
        Assert.Equal("PASSWORD_CHECK_BUSY", refused.Code);
        Assert.Equal(1, refused.RetryAfterSeconds);
        Assert.False(waiting.IsCompleted);
        _release.Set();
        Assert.Equal(1, await running.WaitAsync(Generous));
        Assert.Equal(2, await waiting.WaitAsync(Generous));
    }

    [Fact]
    public async Task Waiter_GivesUpWhenTheWaitTimeoutPasses_AndTheGateServesAgainAfterwards()
    {
        using var gate = Gate(slots: 1, waiting: 4, wait: TimeSpan.FromSeconds(2));
        var running = gate.RunAsync(Held);
        var waiting = gate.RunAsync(() => 2);

        _clock.Advance(TimeSpan.FromSeconds(1));
        Assert.False(waiting.IsCompleted);
        _clock.Advance(TimeSpan.FromSeconds(1));

        var refused = await Assert.ThrowsAsync<NodeOpsException>(() => waiting.WaitAsync(Generous));
        Assert.Equal(ErrorKind.TooManyRequests, refused.Kind);
        _release.Set();
        Assert.Equal(1, await running.WaitAsync(Generous));
        Assert.Equal(3, await gate.RunAsync(() => 3).WaitAsync(Generous));
    }

    [Fact]
    public async Task NeverRunsMoreThanItsSlotsAtOnce()
    {
        using var gate = Gate(slots: 2, waiting: 20);
        var current = 0;
        var most = 0;
        using var started = new SemaphoreSlim(0);

        var all = Enumerable.Range(0, 10).Select(_ => gate.RunAsync(() =>
        {
            var now = Interlocked.Increment(ref current);
            InterlockedMax(ref most, now);
            started.Release();
            _release.Wait(Generous);
            Interlocked.Decrement(ref current);
            return now;
        })).ToList();

        Assert.True(await started.WaitAsync(Generous) && await started.WaitAsync(Generous), "two hashes should have started");
        Assert.Equal(2, Volatile.Read(ref current));
        _release.Set();
        await Task.WhenAll(all).WaitAsync(Generous);
        Assert.Equal(2, most);
    }

    [Fact]
    public async Task Hash_RunsOffTheThreadPool()
    {
        using var gate = Gate(slots: 1, waiting: 0);

        var onPool = await gate.RunAsync(() => Thread.CurrentThread.IsThreadPoolThread).WaitAsync(Generous);

        Assert.False(onPool);
    }

    [Fact]
    public async Task CancelledWaiter_IsCancelled_NotRefused()
    {
        using var gate = Gate(slots: 1, waiting: 1);
        var running = gate.RunAsync(Held);
        using var cancel = new CancellationTokenSource();
        var waiting = gate.RunAsync(() => 2, cancel.Token);

        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting.WaitAsync(Generous));
        _release.Set();
        await running.WaitAsync(Generous);
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(2, 1)]
    [InlineData(3, 1)]
    [InlineData(8, 4)]
    public void DefaultSlots_AreHalfTheCores_AtLeastOne(int cores, int slots)
    {
        Assert.Equal(slots, PasswordHashGate.DefaultSlots(cores));
        using var gate = Gate(slots: 0, waiting: 0);
        Assert.Equal(PasswordHashGate.DefaultSlots(Environment.ProcessorCount), gate.Slots);
    }

    private int Held()
    {
        _release.Wait(Generous);
        return 1;
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int seen;
        while ((seen = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, seen) != seen)
        {
        }
    }

    private PasswordHashGate Gate(int slots, int waiting, TimeSpan? wait = null) => new(
        Options.Create(new AuthOptions
        {
            MaxConcurrentPasswordHashes = slots,
            MaxWaitingPasswordHashes = waiting,
            PasswordHashWaitTimeout = wait ?? TimeSpan.FromSeconds(2),
        }),
        _clock);
}
