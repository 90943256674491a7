using System.Text.Json.Nodes;
using NodeOps.Credentials;

namespace NodeOps.Runners.Ansible;

/// <summary>
/// One playbook run: the playbook text, the hosts (in target order), the credential, the caller's extra_vars and
/// allowed options, and the feature settings that apply (binary, parent of the private folder, forks, timeout).
/// <paramref name="RunTag"/> goes into the private folder's name (letters and digits), so the run's processes can
/// be recognised.
/// </summary>
public sealed record AnsibleRunRequest(
    string RunTag,
    string ClusterName,
    string Playbook,
    IReadOnlyList<AnsibleHost> Hosts,
    SshCredential Credential,
    JsonObject? ExtraVars,
    AnsibleArguments Arguments,
    string BinaryPath,
    string TempDir,
    int Forks,
    TimeSpan Timeout);
