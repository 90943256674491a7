namespace NodeOps.Workflows;

public enum WorkflowStepType
{
    K8s,
    Ansible,
    Ssh,
    Script,
    Wait,

    /// <summary>Reboots the node and waits until it answers again.</summary>
    Reboot,

    /// <summary>Pauses the run until a user approves or rejects it.</summary>
    Approval,
}
