using System.Text.Json.Nodes;

namespace NodeOps.Executions.Kinds;

/// <summary>A request to run a catalog playbook on a cluster's nodes, as the API received it.</summary>
public sealed record AnsibleRunCommand(
    long PlaybookId,
    string ClusterName,
    IReadOnlyList<string> TargetNodes,
    long CredentialId,
    string? ExtraArgs,
    JsonObject? ExtraVars);
