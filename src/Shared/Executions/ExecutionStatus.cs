namespace NodeOps.Executions;

/// <summary>An execution's status, in the API's words.</summary>
public enum ExecutionStatus
{
    Pending,
    Running,
    Completed,
    Failed,
    Cancelled,
}
