using NodeOps.Runners.Ssh;
using NodeOps.Secrets;

namespace NodeOps.Executions.Kinds;

/// <summary>The "script" kind: a catalog script sent on stdin, parameters as environment variables.</summary>
public sealed class ScriptKind(ISecretProtector protector) : INodeCommandKind
{
    public const string Name = "script";

    public string Kind => Name;

    public RemoteInvocation CreateInvocation(ExecutionRecord execution)
    {
        ArgumentNullException.ThrowIfNull(execution);
        var payload = execution.PayloadAs<ScriptPayload>();
        return ScriptInvocation.Create(payload, ScriptSecrets.Open(payload, protector));
    }

    public string RedactOutput(ExecutionRecord execution, string output)
    {
        ArgumentNullException.ThrowIfNull(execution);
        var payload = execution.PayloadAs<ScriptPayload>();
        return payload.ProtectedParameters is null ? output : ScriptSecrets.Redact(output, ScriptSecrets.Open(payload, protector).Values);
    }
}
