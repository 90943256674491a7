namespace NodeOps.Progress;

/// <summary>
/// The current state of a task, read from the shared store. Late subscribers start from it, and the bus polls
/// it to see tasks that run on other instances.
/// </summary>
public interface IProgressSnapshotSource
{
    /// <summary>The task's snapshot, or null when there is no such task.</summary>
    Task<ProgressSnapshot?> GetSnapshotAsync(string taskId, CancellationToken cancellationToken = default);
}
