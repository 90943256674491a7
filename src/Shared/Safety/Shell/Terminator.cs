namespace NodeOps.Safety.Shell;

/// <summary>What ended a simple command.</summary>
internal enum Terminator
{
    /// <summary>";", "&amp;&amp;", "||", a newline, a closing bracket or the end of input.</summary>
    Sequence,

    /// <summary>"|" or "|&amp;".</summary>
    Pipe,

    /// <summary>"&amp;".</summary>
    Background,
}
