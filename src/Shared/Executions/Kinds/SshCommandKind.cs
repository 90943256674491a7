using NodeOps.Runners.Ssh;

namespace NodeOps.Executions.Kinds;

/// <summary>The "ssh" kind: one command line on every node.</summary>
public sealed class SshCommandKind : INodeCommandKind
{
    public const string Name = "ssh";

    public string Kind => Name;

    public RemoteInvocation CreateInvocation(ExecutionRecord execution)
    {
        ArgumentNullException.ThrowIfNull(execution);
        return RemoteInvocation.ForCommand(execution.PayloadAs<SshCommandPayload>().Command);
    }
}
