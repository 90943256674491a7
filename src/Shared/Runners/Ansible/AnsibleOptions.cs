namespace NodeOps.Runners.Ansible;

/// <summary>
/// Bound from the "Ansible" section: how NodeOps starts ansible-playbook and keeps its output. The operator-facing
/// switches (binary_path, temp_dir, timeout, max_concurrent, forks) are feature settings, changed at run time.
/// </summary>
public sealed class AnsibleOptions
{
    public const string Section = "Ansible";

    /// <summary>util-linux setsid: starts ansible-playbook as the leader of its own process group, so the whole group can be stopped.</summary>
    public string SetsidPath { get; set; } = "/usr/bin/setsid";

    /// <summary>The OpenSSH client, Ansible's own transport; NodeOps's own SSH (SSH.NET) never starts it.</summary>
    public string SshPath { get; set; } = "ssh";

    /// <summary>
    /// Every run executes in the sandbox (NodeOps.Sandbox). Off is an admin's explicit choice in configuration,
    /// warned about at start-up; there is no silent fallback when the sandbox cannot be set up.
    /// </summary>
    public Sandbox.SandboxMode Sandbox { get; set; } = NodeOps.Sandbox.SandboxMode.On;

    /// <summary>
    /// Allows plays aimed at the controller (hosts: localhost, connection: local, delegate_to: localhost, ...).
    /// Off by default; even when on, such plays run inside the sandbox.
    /// </summary>
    public bool AllowControllerPlays { get; set; }

    /// <summary>How often the events file is read while a playbook runs.</summary>
    public TimeSpan EventPollInterval { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>How often live output and per-host state are written to the store while a playbook runs.</summary>
    public TimeSpan FlushInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>After SIGTERM to the run's process group, how long before SIGKILL.</summary>
    public TimeSpan StopGrace { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>Characters of a run's output kept in the store (the tail); older output is dropped.</summary>
    public int OutputLimitChars { get; set; } = 2_000_000;

    /// <summary>Characters of output the status view shows when no output_offset is asked for (the tail).</summary>
    public int OutputTailChars { get; set; } = 64 * 1024;

    /// <summary>How long a run over max_concurrent waits before it asks for a slot again.</summary>
    public TimeSpan AdmissionRetry { get; set; } = TimeSpan.FromSeconds(1);
}
