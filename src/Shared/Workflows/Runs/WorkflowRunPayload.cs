namespace NodeOps.Workflows.Runs;

/// <summary>
/// What a workflow run needs, fixed when it starts (the execution's payload): the workflow as it was then, and the
/// caller's parameters, which reach ssh and script steps as environment variables and ansible steps as extra vars.
/// <paramref name="Generation"/> counts resumes, so each life of the run names its batch sub-orchestrations afresh.
/// </summary>
public sealed record WorkflowRunPayload(
    long WorkflowId,
    string WorkflowName,
    int WorkflowVersion,
    WorkflowDefinition Definition,
    IReadOnlyDictionary<string, string> Parameters,
    int Generation = 0,
    string? RetryOf = null);
