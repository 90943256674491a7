using NodeOps.Auth;
using NodeOps.Executions;
using NodeOps.Executions.Kinds;

namespace NodeOps.Schedules;

/// <summary>An ssh target: the body of POST /ssh/execute.</summary>
public sealed class SshTargetStarter(SshCommandSubmissions submissions, ExecutionService executions) : ExecutionTargetStarter<SshCommandRequest>(executions)
{
    public override string Type => "ssh";

    public override string Kind => SshCommandKind.Name;

    protected override Task<ExecutionSubmission> PrepareAsync(SshCommandRequest request, Actor actor, CancellationToken cancellationToken) =>
        submissions.PrepareAsync(request, actor, cancellationToken);
}
