namespace NodeOps.Safety.Shell;

/// <summary>
/// Parser state for one command list: the top level, or the inside of one "$( ... )". Compound commands are not
/// built into a tree; the guard judges simple commands, so the frame only tracks what changes how words are read.
/// </summary>
internal sealed class ParseFrame
{
    public Stack<OpenGroup> Groups { get; } = new();

    public Stack<CaseClause> Cases { get; } = new();

    public SimpleCommand? PipeFrom { get; set; }

    public string? PendingFunctionName { get; set; }

    public int PendingFunctionStart { get; set; }

    public bool ExpectFunctionName { get; set; }

    /// <summary>Inside "for NAME in WORDS" or "select ...": words up to the separator are not a command.</summary>
    public bool SkipHeader { get; set; }

    /// <summary>Inside "[[ ... ]]", where "&lt;" and "&gt;" compare strings instead of redirecting.</summary>
    public bool InDoubleBrackets { get; set; }

    /// <summary>After the "time" keyword, whose "-p" is not a command name.</summary>
    public bool AfterTime { get; set; }
}
