using System.Collections.Concurrent;
using System.Diagnostics;
using NodeOps.Storage;
using NodeOps.Tests.TestBed;

namespace NodeOps.Tests.Storage;

/// <summary>
/// The behaviour every <see cref="IWorkQueue"/> adapter must show, with MaxDequeueCount = 2. Visibility timeouts are
/// whole seconds because the Queue service counts in seconds; waits poll and are bounded.
/// </summary>
public abstract class WorkQueueContract
{
    protected const int MaxDequeueCount = 2;

    private static readonly TimeSpan OneSecond = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan Long = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan WaitLimit = TimeSpan.FromSeconds(10);

    protected WorkQueueContract(IWorkQueue queue)
    {
        Queue = queue;
    }

    protected IWorkQueue Queue { get; }

    protected string Name { get; } = "q" + Guid.NewGuid().ToString("N");

    [Fact]
    public async Task EmptyOrUnknownQueue_LeasesNothing_AndCountsZero()
    {
        Assert.Null(await Queue.LeaseAsync(Name, Long));
        Assert.Equal(0, await Queue.CountAsync(Name));
    }

    [Fact]
    public async Task Enqueue_Lease_Complete()
    {
        var before = DateTimeOffset.UtcNow;
        await Queue.EnqueueAsync(Name, "hello <world> & \"friends\" 😀");
        Assert.Equal(1, await Queue.CountAsync(Name));

        var message = await Queue.LeaseAsync(Name, Long);

        Assert.NotNull(message);
        Assert.Equal((Name, "hello <world> & \"friends\" 😀", 1), (message.Queue, message.Body, message.DequeueCount));
        Assert.False(string.IsNullOrEmpty(message.Id));
        Assert.False(string.IsNullOrEmpty(message.PopReceipt));
        Assert.InRange(message.InsertedAt, before.AddSeconds(-5), DateTimeOffset.UtcNow.AddSeconds(5));
        Assert.Null(await Queue.LeaseAsync(Name, Long)); // leased: invisible to others
        Assert.Equal(1, await Queue.CountAsync(Name)); // but still counted

        await Queue.CompleteAsync(message);

        Assert.Equal(0, await Queue.CountAsync(Name));
        Assert.Null(await Queue.LeaseAsync(Name, Long));
        await Assert.ThrowsAsync<LeaseLostException>(() => Queue.CompleteAsync(message));
    }

    [Fact]
    public async Task Messages_ComeInInsertionOrder()
    {
        for (var i = 0; i < 3; i++)
        {
            await Queue.EnqueueAsync(Name, $"m{i}");
        }

        var bodies = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            var message = await Queue.LeaseAsync(Name, Long);
            bodies.Add(message!.Body);
            await Queue.CompleteAsync(message);
        }

        Assert.Equal(["m0", "m1", "m2"], bodies);
    }

    [Fact]
    public async Task ExpiredVisibility_DeliversAgain_WithHigherDequeueCount_AndVoidsTheOldReceipt()
    {
        await Queue.EnqueueAsync(Name, "work");
        var first = (await Queue.LeaseAsync(Name, OneSecond))!;
        Assert.Null(await Queue.LeaseAsync(Name, OneSecond));

        var second = await Eventually.GetAsync(() => Queue.LeaseAsync(Name, Long), WaitLimit, "redelivery after the visibility timeout");

        Assert.Equal((first.Id, "work", 2), (second.Id, second.Body, second.DequeueCount));
        Assert.NotEqual(first.PopReceipt, second.PopReceipt);
        await Assert.ThrowsAsync<LeaseLostException>(() => Queue.CompleteAsync(first));
        await Assert.ThrowsAsync<LeaseLostException>(() => Queue.RenewAsync(first, Long));
        await Queue.CompleteAsync(second);
        Assert.Equal(0, await Queue.CountAsync(Name));
    }

    [Fact]
    public async Task Renew_ExtendsTheLease_AndChangesTheReceipt()
    {
        await Queue.EnqueueAsync(Name, "work");
        var leased = (await Queue.LeaseAsync(Name, OneSecond))!;

        var renewed = await Queue.RenewAsync(leased, TimeSpan.FromSeconds(4));

        Assert.Equal((leased.Id, leased.Body), (renewed.Id, renewed.Body));
        Assert.NotEqual(leased.PopReceipt, renewed.PopReceipt);
        // Past the original one-second lease, the renewed one still hides the message.
        await Task.Delay(TimeSpan.FromSeconds(2));
        Assert.Null(await Queue.LeaseAsync(Name, Long));
        await Assert.ThrowsAsync<LeaseLostException>(() => Queue.CompleteAsync(leased));
        await Queue.CompleteAsync(renewed);
        Assert.Equal(0, await Queue.CountAsync(Name));
    }

    [Fact]
    public async Task AfterMaxDequeueCount_TheMessageMovesToTheDeadLetterQueue()
    {
        await Queue.EnqueueAsync(Name, "poison");
        var first = (await Queue.LeaseAsync(Name, OneSecond))!;
        var second = await Eventually.GetAsync(() => Queue.LeaseAsync(Name, OneSecond), WaitLimit, "second delivery");
        Assert.Equal((1, 2), (first.DequeueCount, second.DequeueCount));

        // The lease that would deliver it a third time dead-letters it instead.
        var deadLetter = WorkQueueOptions.DeadLetterQueue(Name);
        await Eventually.GetAsync(async () =>
        {
            Assert.Null(await Queue.LeaseAsync(Name, Long)); // never a third delivery
            return await Queue.CountAsync(deadLetter) == 1 ? "moved" : null;
        }, WaitLimit, "dead-lettering");

        Assert.Null(await Queue.LeaseAsync(Name, Long));
        Assert.Equal(0, await Queue.CountAsync(Name));
        var dead = (await Queue.LeaseAsync(deadLetter, Long))!;
        Assert.Equal(("poison", 1), (dead.Body, dead.DequeueCount));
        await Queue.CompleteAsync(dead);
        Assert.Equal(0, await Queue.CountAsync(deadLetter));
    }

    [Fact]
    public async Task DeadLettering_SkipsToTheNextMessage()
    {
        await Queue.EnqueueAsync(Name, "poison");
        await Queue.LeaseAsync(Name, OneSecond);
        await Eventually.GetAsync(() => Queue.LeaseAsync(Name, OneSecond), WaitLimit, "second delivery");
        await Queue.EnqueueAsync(Name, "healthy", TimeSpan.FromSeconds(1));

        // Once both are visible, one lease call moves the exhausted message and returns the healthy one.
        var next = await Eventually.GetAsync(() => Queue.LeaseAsync(Name, Long), WaitLimit, "lease after dead-lettering");

        Assert.Equal(("healthy", 1), (next.Body, next.DequeueCount));
        Assert.Equal(1, await Queue.CountAsync(WorkQueueOptions.DeadLetterQueue(Name)));
    }

    [Fact]
    public async Task InitialDelay_HidesTheMessageUntilItPasses()
    {
        var clock = Stopwatch.StartNew();
        await Queue.EnqueueAsync(Name, "later", TimeSpan.FromSeconds(2));

        Assert.Null(await Queue.LeaseAsync(Name, Long));
        Assert.Equal(1, await Queue.CountAsync(Name));
        var message = await Eventually.GetAsync(() => Queue.LeaseAsync(Name, Long), WaitLimit, "delayed delivery");

        Assert.Equal("later", message.Body);
        Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(1.5), WaitLimit);
    }

    [Fact]
    public async Task ConcurrentConsumers_NeverShareAMessage_AndCompleteEachOnce()
    {
        const int total = 50;
        for (var i = 0; i < total; i++)
        {
            await Queue.EnqueueAsync(Name, $"m{i:D2}");
        }

        var leasedIds = new ConcurrentBag<string>();
        var completed = new ConcurrentBag<string>();
        var deadline = Stopwatch.StartNew();
        var consumers = Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
        {
            // Bounded in tries and time; stops when every message is done.
            for (var attempt = 0; attempt < 1000 && completed.Count < total && deadline.Elapsed < TimeSpan.FromSeconds(60); attempt++)
            {
                var message = await Queue.LeaseAsync(Name, Long);
                if (message is null)
                {
                    await Task.Delay(20);
                    continue;
                }

                leasedIds.Add(message.Id);
                await Queue.CompleteAsync(message);
                completed.Add(message.Body);
            }
        })).ToList();

        await Task.WhenAll(consumers);

        Assert.Equal(total, leasedIds.Count);
        Assert.Equal(total, leasedIds.Distinct().Count());
        Assert.Equal(Enumerable.Range(0, total).Select(i => $"m{i:D2}"), completed.Order(StringComparer.Ordinal));
        Assert.Equal(0, await Queue.CountAsync(Name));
    }
}
