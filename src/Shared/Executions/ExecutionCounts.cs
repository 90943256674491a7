namespace NodeOps.Executions;

/// <summary>How many nodes are in each status. The parts always add up to <see cref="Total"/>.</summary>
public sealed record ExecutionCounts(int Total, int Pending, int Running, int Success, int Failed, int Timeout, int Cancelled, int Interrupted, int Skipped)
{
    public int Finished => Total - Pending - Running;

    public int FailedCount => Failed + Timeout + Interrupted;

    public static ExecutionCounts From(IEnumerable<NodeStatus> statuses)
    {
        ArgumentNullException.ThrowIfNull(statuses);
        var list = statuses.ToList();
        int Count(NodeStatus s) => list.Count(x => x == s);
        return new ExecutionCounts(list.Count, Count(NodeStatus.Pending), Count(NodeStatus.Running), Count(NodeStatus.Success), Count(NodeStatus.Failed),
            Count(NodeStatus.Timeout), Count(NodeStatus.Cancelled), Count(NodeStatus.Interrupted), Count(NodeStatus.Skipped));
    }
}
