namespace NodeOps.Scheduling;

/// <summary>
/// A capability that keeps rows of its own which the retention sweep must remove with the same cutoff
/// (Executions:RetentionDays): rows it keeps for an execution, and rows that belong to no execution.
/// </summary>
public interface IRetentionParticipant
{
    /// <summary>Deletes the rows kept for an execution the sweep is about to delete (before it, so none are orphaned).</summary>
    Task DeleteExecutionRowsAsync(string taskId, CancellationToken cancellationToken = default);

    /// <summary>Deletes rows of its own recorded before the cutoff; returns how many.</summary>
    Task<int> DeleteBeforeAsync(DateTimeOffset cutoff, CancellationToken cancellationToken = default);
}
