namespace NodeOps.Runners.Ansible;

/// <summary>Where the files of one run live inside its private folder.</summary>
internal sealed record AnsibleRunPaths(string Root)
{
    public string Config => Path.Combine(Root, "ansible.cfg");

    public string Inventory => Path.Combine(Root, "inventory.json");

    public string KnownHosts => Path.Combine(Root, "known_hosts");

    public string Playbook => Path.Combine(Root, "playbook.yml");

    public string ExtraVars => Path.Combine(Root, "extra_vars.json");

    public string ConnectionVars => Path.Combine(Root, "connection_vars.json");

    public string PrivateKey => Path.Combine(Root, "id_key");

    public string Events => Path.Combine(Root, "events.jsonl");

    public string CallbackPlugins => Path.Combine(Root, "callback_plugins");

    public string LocalTemp => Path.Combine(Root, "tmp");

    public string Home => Path.Combine(Root, "home");

    public string Roles => Path.Combine(Root, "roles");

    public string ControlSockets => Path.Combine(Root, "cp");

    public string AgentSocket => Path.Combine(Root, "agent.sock");

    public string Askpass => Path.Combine(Root, "askpass.sh");

    /// <summary>The key's passphrase for ssh-add's askpass, deleted as soon as the key is in the agent.</summary>
    public string Passphrase => Path.Combine(Root, "passphrase");
}
