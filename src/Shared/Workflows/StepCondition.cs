namespace NodeOps.Workflows;

public enum StepCondition
{
    OnSuccess,
    OnFailure,
    Always,
}
