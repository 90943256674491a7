using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace NodeOps.Executions.Kinds;

/// <summary>
/// A request to run a catalog playbook on a cluster's nodes: the body of POST /ansible/run, and of a schedule's
/// ansible target.
/// </summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record AnsibleRunCommand(
    long PlaybookId,
    string ClusterName,
    IReadOnlyList<string> TargetNodes,
    long CredentialId,
    string? ExtraArgs = null,
    JsonObject? ExtraVars = null);
