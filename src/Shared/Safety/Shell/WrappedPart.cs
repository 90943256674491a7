namespace NodeOps.Safety.Shell;

/// <summary>Something a wrapper runs: argument words, a string for a shell, or Python code.</summary>
internal sealed record WrappedPart(IReadOnlyList<ShellWord>? Words, string? ShellText, string? PythonSource)
{
    /// <summary>How run-time arguments complete <see cref="Words"/> (xargs, parallel); null when the words are the whole command.</summary>
    public RuntimeArguments? RuntimeArguments { get; init; }

    public static WrappedPart Command(IReadOnlyList<ShellWord> words) => new(words, null, null);

    public static WrappedPart Shell(string text) => new(null, text, null);

    public static WrappedPart Python(string source) => new(null, null, source);
}
