using NodeOps.Progress;

namespace NodeOps.Tests.Progress;

public sealed class ProgressOutboxTests
{
    private static ProgressEvent Event(string taskId, string type, int current) =>
        new() { TaskId = taskId, Type = type, Current = current, Total = 100, Timestamp = DateTimeOffset.UnixEpoch };

    [Fact]
    public void Post_ManyProgressEventsForASlowReader_CoalescesToTheLatestPerTask()
    {
        var outbox = new ProgressOutbox();
        for (var i = 1; i <= 50; i++)
        {
            outbox.Post(Event("a", ProgressEventTypes.Progress, i));
            outbox.Post(Event("b", ProgressEventTypes.Progress, i * 2));
        }

        Assert.True(outbox.TryTake(out var first));
        Assert.True(outbox.TryTake(out var second));
        Assert.False(outbox.TryTake(out _));
        Assert.Equal(("a", 50), (first.TaskId, first.Current));
        Assert.Equal(("b", 100), (second.TaskId, second.Current));
        Assert.Equal(98, outbox.Coalesced);
    }

    [Fact]
    public void EventsPostedWhileASnapshotIsRead_ComeAfterTheSnapshot_AndOtherTasksAreNotHeld()
    {
        var outbox = new ProgressOutbox();
        outbox.AwaitSnapshot("a");
        outbox.Post(Event("a", ProgressEventTypes.Start, 0));
        outbox.Post(Event("b", ProgressEventTypes.Progress, 1));
        Assert.True(outbox.TryTake(out var other));
        Assert.False(outbox.TryTake(out _));

        outbox.Post(Event("a", ProgressEventTypes.Progress, 5));
        outbox.Post(Event("a", ProgressEventTypes.Complete, 9));
        outbox.Post(Event("a", ProgressEventTypes.Snapshot, 9));

        Assert.Equal("b", other.TaskId);
        Assert.True(outbox.TryTake(out var snapshot));
        Assert.True(outbox.TryTake(out var complete));
        Assert.False(outbox.TryTake(out _));
        Assert.Equal(ProgressEventTypes.Snapshot, snapshot.Type);
        Assert.Equal(ProgressEventTypes.Complete, complete.Type);
    }

    [Fact]
    public void Post_CompletionAfterProgress_IsNeverDroppedAndSupersedesPendingProgress()
    {
        var outbox = new ProgressOutbox();
        outbox.Post(Event("a", ProgressEventTypes.Snapshot, 0));
        outbox.Post(Event("a", ProgressEventTypes.Progress, 7));
        outbox.Post(Event("a", ProgressEventTypes.Complete, 100));
        outbox.Post(Event("a", ProgressEventTypes.Progress, 8));

        Assert.True(outbox.TryTake(out var snapshot));
        Assert.True(outbox.TryTake(out var complete));
        Assert.False(outbox.TryTake(out _));
        Assert.Equal(ProgressEventTypes.Snapshot, snapshot.Type);
        Assert.Equal(ProgressEventTypes.Complete, complete.Type);
    }

    [Fact]
    public void TryTake_ProgressOlderThanTheSnapshotSent_IsSkipped()
    {
        var outbox = new ProgressOutbox();
        outbox.Post(Event("a", ProgressEventTypes.Progress, 3));
        outbox.Post(Event("a", ProgressEventTypes.Snapshot, 5));

        Assert.True(outbox.TryTake(out var snapshot));
        Assert.False(outbox.TryTake(out _));
        Assert.Equal(5, snapshot.Current);
    }

    [Fact]
    public void Post_MoreMustDeliverEventsThanTheBound_MarksTheConnectionOverflowed()
    {
        var outbox = new ProgressOutbox(maxQueued: 3);
        for (var i = 0; i < 4; i++)
        {
            outbox.Post(Event("t" + i, ProgressEventTypes.Complete, 1));
        }

        Assert.True(outbox.Overflowed);
    }

    [Fact]
    public async Task ReadAsync_WaitsForThePublisherWithoutBlockingIt()
    {
        var outbox = new ProgressOutbox();
        var read = outbox.ReadAsync().AsTask();
        Assert.False(read.IsCompleted);

        outbox.Post(Event("a", ProgressEventTypes.Start, 0));

        var next = await read.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(ProgressEventTypes.Start, next.Type);
    }
}
