namespace NodeOps.Safety.Shell;

/// <summary>Where the parser is inside "case WORD in pattern) ...;; esac", whose ")" is not a subshell's.</summary>
internal sealed class CaseClause
{
    /// <summary>0 before the subject word, 1 before "in", 2 in the body.</summary>
    public int Stage { get; set; }

    public bool ExpectPattern { get; set; }
}
