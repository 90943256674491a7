using System.Text.Json.Nodes;
using NodeOps.Runners.Ansible;

namespace NodeOps.Executions.Kinds;

/// <summary>
/// What an "ansible" execution runs, fixed at submission so a resumed run uses exactly what was asked: the
/// playbook as it was then (content and version), the checked options and extra_vars, the forks, and each node's
/// labels (for the inventory's groups).
/// </summary>
public sealed record AnsiblePayload(
    long PlaybookId,
    string PlaybookName,
    int PlaybookVersion,
    string Content,
    AnsibleArguments Arguments,
    JsonObject? ExtraVars,
    int Forks,
    IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> Labels);
