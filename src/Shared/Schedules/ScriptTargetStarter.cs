using NodeOps.Auth;
using NodeOps.Executions;
using NodeOps.Executions.Kinds;

namespace NodeOps.Schedules;

/// <summary>A script target: the body of POST /scripts/execute.</summary>
public sealed class ScriptTargetStarter(ScriptRunSubmissions submissions, ExecutionService executions) : ExecutionTargetStarter<ScriptRunRequest>(executions)
{
    public override string Type => "script";

    public override string Kind => ScriptKind.Name;

    protected override Task<ExecutionSubmission> PrepareAsync(ScriptRunRequest request, Actor actor, CancellationToken cancellationToken) =>
        submissions.PrepareAsync(request, actor, cancellationToken);
}
