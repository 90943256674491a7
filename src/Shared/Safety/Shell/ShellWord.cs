namespace NodeOps.Safety.Shell;

/// <summary>
/// One shell word after quote removal and the expansions the parser could resolve. What it could not resolve
/// (an unset variable, a command's output) is kept as <see cref="Unknown"/>, so a rule can tell "/" from "$DIR/"
/// instead of guessing; an unquoted leading "~" or an unset $HOME becomes <see cref="Home"/>.
/// </summary>
internal sealed record ShellWord(string Value)
{
    /// <summary>Stands for text only known when the command runs.</summary>
    public const char Unknown = '\u0001';

    /// <summary>Stands for the caller's home directory.</summary>
    public const char Home = '\u0002';

    /// <summary>The word is a "&lt;( ... )": a pipe the command reads, filled with the output of the commands inside.</summary>
    public bool IsProcessSubstitution { get; init; }

    public bool HasUnknown => Value.Contains(Unknown, StringComparison.Ordinal);

    public bool StartsWithOption => Value.Length > 1 && Value[0] == '-';

    public override string ToString() => Value.Replace(Unknown, '?').Replace(Home, '~');
}
