using Microsoft.Extensions.Options;
using NodeOps.Processes;
using NodeOps.Sandbox;

namespace NodeOps.Assistant;

/// <summary>
/// Puts the assistant's kubectl, bash, custom tools and stdio MCP servers in the sandbox: the tool's private folder (holding the cluster's kubeconfig)
/// is the only thing of the server's it sees besides the system's programs. When the sandbox cannot be set up the tool
/// is unavailable, with the cause, unless an admin set Assistant:Tools:Sandbox=off.
/// </summary>
internal sealed class ToolSandbox(ProcessSandbox sandbox, IOptions<AssistantOptions> options)
{
    public bool Enabled => options.Value.Tools.Sandbox == SandboxMode.On;

    public async Task<BoundedProcessStart> ConfineAsync(BoundedProcessStart start, string folder, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(start);
        if (!Enabled)
        {
            return start;
        }

        try
        {
            await sandbox.EnsureAvailableAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (SandboxUnavailableException ex)
        {
            throw new ToolUnavailableException(ex.Message, ex) { Suggestion = "安装 bubblewrap 并允许非特权 user namespace；或由管理员设置 Assistant:Tools:Sandbox=off (不推荐)" };
        }

        sandbox.HandOver(folder);
        var command = sandbox.Wrap(new SandboxRequest(start.FileName, start.Arguments, folder));
        return start with { FileName = command.FileName, Arguments = command.Arguments, WorkingDirectory = folder };
    }
}
