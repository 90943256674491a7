using System.Text.Json.Serialization;

namespace NodeOps.Workflows.Runs;

/// <summary>The body of POST /workflows/execute. Every field is optional on the wire so that a missing one gets a 400 naming it.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record WorkflowExecuteRequest(
    long? WorkflowId = null,
    string? ClusterName = null,
    IReadOnlyList<string>? TargetNodes = null,
    long? CredentialId = null,
    IReadOnlyDictionary<string, string>? Parameters = null);
