using NodeOps.Runners.Ssh;

namespace NodeOps.Executions;

/// <summary>
/// A kind that runs the same remote invocation on every node over SSH (an SSH command, a script). The engine's
/// <see cref="NodeFanOutHandler"/> does the fan-out; the kind only says what to run.
/// </summary>
public interface INodeCommandKind
{
    string Kind { get; }

    /// <summary>What runs on each node, from the payload fixed at submission.</summary>
    RemoteInvocation CreateInvocation(ExecutionRecord execution);

    /// <summary>Node output as it may be stored and shown: a kind with secret inputs masks their values.</summary>
    string RedactOutput(ExecutionRecord execution, string output) => output;
}
