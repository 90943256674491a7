namespace NodeOps.Executions;

/// <summary>A node's row with its output, as the status views need it.</summary>
public sealed record NodeResult(NodeResultRecord Record, string Stdout, string Stderr);
