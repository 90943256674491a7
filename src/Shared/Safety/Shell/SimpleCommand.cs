namespace NodeOps.Safety.Shell;

/// <summary>
/// One simple command as bash would run it: its words after quote removal, its redirections and where it sits in a
/// pipeline. Commands that a wrapper runs (the "rm" in "sudo rm") appear as commands of their own with
/// <see cref="Via"/> set, so every rule sees every command without knowing about wrappers.
/// </summary>
internal sealed record SimpleCommand
{
    public required IReadOnlyList<ShellWord> Words { get; init; }

    public IReadOnlyList<Redirection> Redirections { get; init; } = [];

    /// <summary>The text the command came from, for messages.</summary>
    public required string Source { get; init; }

    /// <summary>The wrapper or shell string that runs this command (e.g. "sudo", "bash -c"), or null when typed directly.</summary>
    public string? Via { get; init; }

    public WrapperKind Wrapper { get; init; }

    public bool PipesOut { get; init; }

    public bool Background { get; init; }

    /// <summary>Set when the command's arguments are completed at run time (by xargs or parallel), so its operands are not all seen.</summary>
    public RuntimeArguments? RuntimeArguments { get; init; }

    /// <summary>The previous stage of the pipeline, which feeds this command's standard input.</summary>
    public SimpleCommand? StdinFrom { get; init; }

    /// <summary>The program's base name: "/usr/sbin/mkfs.ext4" is "mkfs.ext4".</summary>
    public string Name => Words.Count == 0 ? string.Empty : BaseName(Words[0].Value);

    public bool RunsConcurrently => PipesOut || Background || StdinFrom is not null;

    public IReadOnlyList<ShellWord> Arguments => Words.Count <= 1 ? [] : Words.Skip(1).ToArray();

    public static string BaseName(string word) => word[(word.LastIndexOf('/') + 1)..];
}
