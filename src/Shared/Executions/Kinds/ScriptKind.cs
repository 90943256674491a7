using NodeOps.Runners.Ssh;

namespace NodeOps.Executions.Kinds;

/// <summary>The "script" kind: a catalog script sent on stdin, parameters as environment variables.</summary>
public sealed class ScriptKind : INodeCommandKind
{
    public const string Name = "script";

    public string Kind => Name;

    public RemoteInvocation CreateInvocation(ExecutionRecord execution)
    {
        ArgumentNullException.ThrowIfNull(execution);
        var payload = execution.PayloadAs<ScriptPayload>();
        return RemoteInvocation.ForScript(payload.Language, payload.Content, payload.Parameters);
    }
}
