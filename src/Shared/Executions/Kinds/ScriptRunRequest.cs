using System.Text.Json.Serialization;

namespace NodeOps.Executions.Kinds;

/// <summary>The body of POST /scripts/execute, and of a schedule's script target.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record ScriptRunRequest(
    long ScriptId,
    string ClusterName,
    IReadOnlyList<string> TargetNodes,
    long CredentialId,
    IReadOnlyDictionary<string, string>? Parameters = null,
    int? Timeout = null,
    int? MaxConcurrent = null,
    bool AllowPowerActions = false);
