using NodeOps.Auth;
using NodeOps.Executions;
using NodeOps.Executions.Kinds;

namespace NodeOps.Schedules;

/// <summary>An ansible target: the body of POST /ansible/run.</summary>
public sealed class AnsibleTargetStarter(AnsibleRunService runs, ExecutionService executions) : ExecutionTargetStarter<AnsibleRunCommand>(executions)
{
    public override string Type => "ansible";

    public override string Kind => AnsibleKind.Name;

    protected override Task<ExecutionSubmission> PrepareAsync(AnsibleRunCommand request, Actor actor, CancellationToken cancellationToken) =>
        runs.PrepareAsync(request, actor, cancellationToken);
}
