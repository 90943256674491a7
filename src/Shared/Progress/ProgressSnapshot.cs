namespace NodeOps.Progress;

/// <summary>A task's state as the store holds it: the snapshot event, and whether the task has finished.</summary>
public sealed record ProgressSnapshot(ProgressEvent Event, bool Finished, string StatusKey);
