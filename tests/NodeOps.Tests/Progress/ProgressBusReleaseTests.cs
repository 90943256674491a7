using Microsoft.Extensions.Options;
using NodeOps.Progress;

namespace NodeOps.Tests.Progress;

/// <summary>A subscription whose client left before its snapshot arrived must not stay in the bus.</summary>
public sealed class ProgressBusReleaseTests
{
    [Fact]
    public async Task Subscribe_CancelledWhileTheSnapshotIsRead_LeavesNothingRegistered()
    {
        var source = new WaitingSnapshotSource();
        var bus = new InProcessProgressBus(source, TimeProvider.System, Options.Create(new ProgressOptions()));
        using var leaving = new CancellationTokenSource();

        var subscribing = bus.SubscribeAsync(new ProgressOutbox(), "ssh-exec-1", leaving.Token);
        await source.Reading.Task.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(1, bus.SubscriptionCount);
        await leaving.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => subscribing);
        Assert.Equal(0, bus.SubscriptionCount);
        Assert.Equal(0, bus.SubscribedTaskCount);
    }

    [Fact]
    public async Task Subscribe_StoreFailsWhileTheSnapshotIsRead_LeavesNothingRegistered()
    {
        var bus = new InProcessProgressBus(new FailingSnapshotSource(), TimeProvider.System, Options.Create(new ProgressOptions()));

        await Assert.ThrowsAsync<IOException>(() => bus.SubscribeAsync(new ProgressOutbox(), "ssh-exec-1"));

        Assert.Equal(0, bus.SubscriptionCount);
        Assert.Equal(0, bus.SubscribedTaskCount);
    }

    /// <summary>A store read that lasts until the reader gives up, as a slow store does when a client leaves.</summary>
    private sealed class WaitingSnapshotSource : IProgressSnapshotSource
    {
        public TaskCompletionSource Reading { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public async Task<ProgressSnapshot?> GetSnapshotAsync(string taskId, CancellationToken cancellationToken = default)
        {
            Reading.TrySetResult();
            await Task.Delay(Timeout.Infinite, cancellationToken);
            return null;
        }
    }

    private sealed class FailingSnapshotSource : IProgressSnapshotSource
    {
        public Task<ProgressSnapshot?> GetSnapshotAsync(string taskId, CancellationToken cancellationToken = default) =>
            Task.FromException<ProgressSnapshot?>(new IOException("store unavailable"));
    }
}
