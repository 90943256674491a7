namespace NodeOps.Executions;

/// <summary>A node row with the ETag it was read at, for the conditional write that moves it on.</summary>
public sealed record StoredNode(NodeResultRecord Record, string ETag);
