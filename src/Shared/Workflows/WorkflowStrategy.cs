namespace NodeOps.Workflows;

public enum WorkflowStrategy
{
    /// <summary>Every target goes through each step together.</summary>
    Parallel,

    /// <summary>Node-first: a batch of nodes goes through the whole workflow before the next batch starts.</summary>
    Rolling,
}
