namespace NodeOps.Executions;

/// <summary>
/// A node this lane claimed (its row is <see cref="NodeStatus.Running"/>). Writes to the row go through the
/// claim one at a time, each conditional on the previous one's ETag.
/// </summary>
public sealed class NodeClaim
{
    internal NodeClaim(StoredNode row)
    {
        Row = row;
    }

    public NodeResultRecord Record => Row.Record;

    internal StoredNode Row { get; set; }

    internal SemaphoreSlim Gate { get; } = new(1, 1);

    /// <summary>False once a write found the row changed by someone else (the claim was taken over).</summary>
    public bool Held { get; internal set; } = true;
}
