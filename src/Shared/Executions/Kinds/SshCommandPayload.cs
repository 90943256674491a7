namespace NodeOps.Executions.Kinds;

/// <summary>What an SSH command execution runs.</summary>
public sealed record SshCommandPayload(string Command);
