namespace NodeOps.Runners.Ansible;

/// <summary>Why a host was left out of a run before ansible-playbook started (host key, authentication, connection).</summary>
public sealed record AnsibleHostFailure(string ErrorCode, string Message);
