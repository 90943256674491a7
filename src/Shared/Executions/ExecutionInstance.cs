using System.Security.Cryptography;

namespace NodeOps.Executions;

/// <summary>This process's name in node rows, so an operator can tell which instance ran a node.</summary>
public sealed class ExecutionInstance
{
    public string Id { get; } = $"{Environment.MachineName}-{Environment.ProcessId}-{Convert.ToHexString(RandomNumberGenerator.GetBytes(2)).ToLowerInvariant()}";
}
