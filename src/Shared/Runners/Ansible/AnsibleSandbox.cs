using Microsoft.Extensions.Options;
using NodeOps.Sandbox;

namespace NodeOps.Runners.Ansible;

/// <summary>
/// Where a run's programs (ansible-playbook, and ssh-agent and ssh-add for a passphrase key) execute: in the
/// sandbox with the run's private folder as the only writable place, or, when an admin set Ansible:Sandbox=off,
/// directly. The agent and the playbook share one sandbox user, so the agent accepts the playbook's ssh.
/// </summary>
public sealed class AnsibleSandbox(ProcessSandbox sandbox, IOptions<AnsibleOptions> options)
{
    public bool Enabled => options.Value.Sandbox == SandboxMode.On;

    /// <summary>Refuses (SANDBOX_UNAVAILABLE, naming the cause) when runs need the sandbox and it cannot be set up.</summary>
    public Task EnsureAvailableAsync(CancellationToken cancellationToken = default) =>
        Enabled ? sandbox.EnsureAvailableAsync(cancellationToken) : Task.CompletedTask;

    /// <summary>Whether the run folder's parent must be passable for the sandbox user.</summary>
    public bool NeedsTraversableParent => Enabled && ProcessSandbox.DropsRoot;

    /// <summary>Hands the prepared run folder to the sandbox user (only when NodeOps is root).</summary>
    public void HandOver(string runFolder)
    {
        if (Enabled)
        {
            sandbox.HandOver(runFolder);
        }
    }

    public SandboxedCommand Command(string fileName, IReadOnlyList<string> arguments, string runFolder) =>
        Enabled ? sandbox.Wrap(new SandboxRequest(fileName, arguments, runFolder)) : new SandboxedCommand(fileName, arguments);
}
