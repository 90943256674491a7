namespace NodeOps.Runners.Ansible;

/// <summary>One node as a playbook run reaches it. <see cref="Labels"/> become inventory groups.</summary>
public sealed record AnsibleHost(string Name, string Address, int Port, IReadOnlyDictionary<string, string> Labels);
