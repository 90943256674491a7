using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace NodeOps.Progress;

/// <summary>
/// The in-process progress bus: the engine publishes here, and each connected client reads its own
/// <see cref="ProgressOutbox"/>. Tasks that run on another instance publish there, not here; for those the bus
/// polls the shared store for every task that has a subscriber and turns store changes into events, so a client
/// sees every task wherever it runs (within <see cref="ProgressOptions.PollInterval"/>).
/// </summary>
public sealed class InProcessProgressBus(IProgressSnapshotSource snapshots, TimeProvider time, IOptions<ProgressOptions> options) : IProgressPublisher
{
    private readonly ConcurrentDictionary<string, TaskState> _tasks = new(StringComparer.Ordinal);

    public void Publish(ProgressEvent progressEvent)
    {
        ArgumentNullException.ThrowIfNull(progressEvent);
        if (!_tasks.TryGetValue(progressEvent.TaskId, out var state))
        {
            return;
        }

        ProgressOutbox[] outboxes;
        lock (state)
        {
            state.LastLocalEventAt = time.GetUtcNow();
            state.LastCurrent = Math.Max(state.LastCurrent, progressEvent.Current);
            state.Finished |= progressEvent.IsFinal;
            outboxes = [.. state.Outboxes];
        }

        foreach (var outbox in outboxes)
        {
            outbox.Post(progressEvent);
        }
    }

    /// <summary>
    /// Subscribes an outbox to a task and posts the task's snapshot first (and its completion, when it has
    /// finished). Returns false when the task does not exist.
    /// </summary>
    public async Task<bool> SubscribeAsync(ProgressOutbox outbox, string taskId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(outbox);
        // Register before reading the snapshot so that no event published in between is lost; the outbox holds such
        // events back until the snapshot is posted, so the snapshot is still the first event the client sees.
        outbox.AwaitSnapshot(taskId);
        TaskState state;
        while (true)
        {
            state = _tasks.GetOrAdd(taskId, _ => new TaskState());
            lock (state)
            {
                // A state removed by the last unsubscribe in between is no longer in the map; take a fresh one.
                if (!state.Removed)
                {
                    state.Outboxes.Add(outbox);
                    break;
                }
            }
        }

        ProgressSnapshot? snapshot;
        try
        {
            snapshot = await snapshots.GetSnapshotAsync(taskId, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            // The client left (or the store failed) before the snapshot came: the connection never learns of this
            // subscription, so it must not stay registered, or the outbox and the task's polling outlive the socket.
            Unsubscribe(outbox, taskId);
            throw;
        }

        if (snapshot is null)
        {
            Unsubscribe(outbox, taskId);
            return false;
        }

        lock (state)
        {
            state.LastCurrent = Math.Max(state.LastCurrent, snapshot.Event.Current);
            state.StatusKey ??= snapshot.StatusKey;
        }

        outbox.Post(snapshot.Event with { Type = ProgressEventTypes.Snapshot });
        if (snapshot.Finished)
        {
            outbox.Post(snapshot.Event with { Type = ProgressEventTypes.Complete });
        }

        return true;
    }

    public void Unsubscribe(ProgressOutbox outbox, string taskId)
    {
        ArgumentNullException.ThrowIfNull(outbox);
        outbox.Forget(taskId);
        if (!_tasks.TryGetValue(taskId, out var state))
        {
            return;
        }

        lock (state)
        {
            state.Outboxes.Remove(outbox);
            if (state.Outboxes.Count == 0)
            {
                state.Removed = true;
                _tasks.TryRemove(new KeyValuePair<string, TaskState>(taskId, state));
            }
        }
    }

    /// <summary>Tasks with at least one subscriber on this instance.</summary>
    public int SubscribedTaskCount => _tasks.Count;

    /// <summary>Subscriptions (connection and task pairs) held on this instance; zero once every client has gone.</summary>
    public int SubscriptionCount => _tasks.Values.Sum(state =>
    {
        lock (state)
        {
            return state.Outboxes.Count;
        }
    });

    /// <summary>
    /// One polling pass: for each subscribed, unfinished task that published nothing here lately, reads the store
    /// and posts what changed (a progress event, or the completion).
    /// </summary>
    public async Task PollOnceAsync(CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow();
        var interval = options.Value.PollInterval;
        foreach (var (taskId, state) in _tasks.ToArray())
        {
            lock (state)
            {
                if (state.Finished || now - state.LastLocalEventAt < interval)
                {
                    continue;
                }
            }

            ProgressSnapshot? snapshot;
            try
            {
                snapshot = await snapshots.GetSnapshotAsync(taskId, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // The store is briefly unavailable; the next pass tries again.
                continue;
            }

            if (snapshot is null)
            {
                continue;
            }

            ProgressEvent? toPost = null;
            ProgressOutbox[] outboxes;
            lock (state)
            {
                if (snapshot.Finished && !state.Finished)
                {
                    state.Finished = true;
                    toPost = snapshot.Event with { Type = ProgressEventTypes.Complete };
                }
                else if (!snapshot.Finished && (snapshot.Event.Current > state.LastCurrent || !string.Equals(snapshot.StatusKey, state.StatusKey, StringComparison.Ordinal)))
                {
                    toPost = snapshot.Event with { Type = ProgressEventTypes.Progress };
                }

                state.LastCurrent = Math.Max(state.LastCurrent, snapshot.Event.Current);
                state.StatusKey = snapshot.StatusKey;
                outboxes = [.. state.Outboxes];
            }

            if (toPost is not null)
            {
                foreach (var outbox in outboxes)
                {
                    outbox.Post(toPost);
                }
            }
        }
    }

    /// <summary>Polls until stopped; run by a hosted service.</summary>
    public async Task RunPollerAsync(CancellationToken cancellationToken = default)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(options.Value.PollInterval, time, cancellationToken).ConfigureAwait(false);
                await PollOnceAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
        }
    }

    private sealed class TaskState
    {
        public HashSet<ProgressOutbox> Outboxes { get; } = [];

        public DateTimeOffset LastLocalEventAt { get; set; } = DateTimeOffset.MinValue;

        public int LastCurrent { get; set; }

        public string? StatusKey { get; set; }

        public bool Finished { get; set; }

        public bool Removed { get; set; }
    }
}
