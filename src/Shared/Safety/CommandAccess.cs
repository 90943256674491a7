namespace NodeOps.Safety;

/// <summary>Whether a command only reads, or may change something.</summary>
public enum CommandAccess
{
    /// <summary>Only reads: safe for the assistant to run without asking.</summary>
    Read,

    /// <summary>May write, or the classifier cannot tell: ask before running.</summary>
    Write,
}
