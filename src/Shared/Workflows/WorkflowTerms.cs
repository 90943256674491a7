namespace NodeOps.Workflows;

/// <summary>The wire spelling of the workflow vocabulary. Parsing returns null for unknown words; the validator reports them.</summary>
public static class WorkflowTerms
{
    public static IReadOnlyList<string> StepTypes { get; } = ["k8s", "ansible", "ssh", "script", "wait", "reboot", "approval"];

    public static IReadOnlyList<string> K8sActions { get; } = ["cordon", "uncordon", "drain", "wait_ready"];

    public static IReadOnlyList<string> Conditions { get; } = ["on_success", "on_failure", "always"];

    public static IReadOnlyList<string> Strategies { get; } = ["parallel", "rolling"];

    public static WorkflowStepType? ParseStepType(string? text) => text switch
    {
        "k8s" => WorkflowStepType.K8s,
        "ansible" => WorkflowStepType.Ansible,
        "ssh" => WorkflowStepType.Ssh,
        "script" => WorkflowStepType.Script,
        "wait" => WorkflowStepType.Wait,
        "reboot" => WorkflowStepType.Reboot,
        "approval" => WorkflowStepType.Approval,
        _ => null,
    };

    public static K8sAction? ParseK8sAction(string? text) => text switch
    {
        "cordon" => K8sAction.Cordon,
        "uncordon" => K8sAction.Uncordon,
        "drain" => K8sAction.Drain,
        "wait_ready" => K8sAction.WaitReady,
        _ => null,
    };

    public static StepCondition? ParseCondition(string? text) => text switch
    {
        "on_success" => StepCondition.OnSuccess,
        "on_failure" => StepCondition.OnFailure,
        "always" => StepCondition.Always,
        _ => null,
    };

    public static WorkflowStrategy? ParseStrategy(string? text) => text switch
    {
        "parallel" => WorkflowStrategy.Parallel,
        "rolling" => WorkflowStrategy.Rolling,
        _ => null,
    };
}
