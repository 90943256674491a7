namespace NodeOps.Features;

/// <summary>The switches and limits operators change at run time. Stored as one document; defaults live here.</summary>
public sealed record FeatureSettings
{
    public AutomationSwitches Automation { get; init; } = new();

    public AnsibleSettings Ansible { get; init; } = new();

    public SshSettings Ssh { get; init; } = new();
}

public sealed record AutomationSwitches
{
    public bool Enabled { get; init; } = true;

    public bool AnsibleEnabled { get; init; } = true;

    public bool SshEnabled { get; init; } = true;

    public bool ScriptsEnabled { get; init; } = true;

    public bool WorkflowsEnabled { get; init; } = true;
}

public sealed record AnsibleSettings
{
    public string BinaryPath { get; init; } = "/usr/bin/ansible-playbook";

    public string TempDir { get; init; } = Path.Combine(Path.GetTempPath(), "nodeops-ansible");

    /// <summary>Seconds a playbook run may take.</summary>
    public int Timeout { get; init; } = 3600;

    /// <summary>Playbook runs at once, across all instances.</summary>
    public int MaxConcurrent { get; init; } = 10;

    /// <summary>Ansible forks within one run.</summary>
    public int Forks { get; init; } = 10;
}

public sealed record SshSettings
{
    /// <summary>Default per-node timeout in seconds.</summary>
    public int Timeout { get; init; } = 300;

    /// <summary>Nodes at once within one execution.</summary>
    public int MaxConcurrent { get; init; } = 50;

    /// <summary>Open SSH connections kept per instance (SSH.NET clients, reused per node, user and credential).</summary>
    public int ConnectionPoolSize { get; init; } = 20;

    /// <summary>Seconds an idle SSH connection stays open.</summary>
    public int IdleTimeout { get; init; } = 60;

    /// <summary>Bytes of stdout and of stderr kept per node (the tail).</summary>
    public int OutputLimitBytes { get; init; } = 1024 * 1024;
}

/// <summary>The capabilities a feature switch can turn off.</summary>
public enum Capability
{
    Automation,
    Ansible,
    Ssh,
    Scripts,
    Workflows,
}
