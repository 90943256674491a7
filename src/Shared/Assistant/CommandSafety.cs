namespace NodeOps.Assistant;

/// <summary>What a tool call may do to the cluster. Anything not known to be a read is a write.</summary>
public enum CommandSafety
{
    Read,
    Write,
}
