namespace NodeOps.Executions.Kinds;

/// <summary>
/// A window of a run's output. Offsets count characters from the start of the whole output, so they stay valid
/// when old output is dropped: <see cref="Start"/> is where the stored output begins, <see cref="Total"/> where it
/// ends, and <see cref="NextOffset"/> is where the next page starts (null at the end).
/// </summary>
public sealed record AnsibleOutputPage(string Text, long Offset, long? NextOffset, long Start, long Total)
{
    /// <summary>True when output before <see cref="Start"/> was dropped to keep the tail.</summary>
    public bool Truncated => Start > 0;
}
