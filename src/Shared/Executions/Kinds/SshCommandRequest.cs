using System.Text.Json.Serialization;

namespace NodeOps.Executions.Kinds;

/// <summary>The body of POST /ssh/execute, and of a schedule's ssh target.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record SshCommandRequest(
    string ClusterName,
    IReadOnlyList<string> TargetNodes,
    long CredentialId,
    string Command,
    int? Timeout = null,
    int? MaxConcurrent = null,
    bool AllowPowerActions = false);
