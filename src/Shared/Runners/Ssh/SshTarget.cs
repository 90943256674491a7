using NodeOps.Credentials;

namespace NodeOps.Runners.Ssh;

/// <summary>One node as the SSH runner reaches it: the cluster and node name (for host-key pins), the address, and the credential.</summary>
public sealed record SshTarget(string ClusterName, string NodeName, string Address, int Port, SshCredential Credential);
