namespace NodeOps.Workflows;

public enum K8sAction
{
    Cordon,
    Uncordon,
    Drain,

    /// <summary>Waits until the node reports Ready.</summary>
    WaitReady,
}
