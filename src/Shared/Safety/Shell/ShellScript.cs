namespace NodeOps.Safety.Shell;

/// <summary>What the parser found in a command line or script.</summary>
/// <param name="Text">The input as given.</param>
/// <param name="Commands">Every simple command, in the order bash would start them, nested ones included.</param>
/// <param name="Functions">Functions the input defines.</param>
/// <param name="PythonSources">Python code handed to an interpreter (python -c, a here-document fed to python).</param>
/// <param name="Incomplete">True when bash would reject the input: an unterminated quote, bracket or substitution.</param>
/// <param name="UnterminatedText">
/// The text after an opening quote that is never closed. Bash would refuse the whole line, but a caller that wraps
/// or joins commands could close it, so the guard also judges this text as code.
/// </param>
/// <param name="TooDeep">True when strings nest inside commands deeper than <see cref="ShellParser.MaxDepth"/>.</param>
internal sealed record ShellScript(
    string Text,
    IReadOnlyList<SimpleCommand> Commands,
    IReadOnlyList<FunctionDefinition> Functions,
    IReadOnlyList<string> PythonSources,
    bool Incomplete,
    string? UnterminatedText,
    bool TooDeep)
{
    /// <summary>Commands that hand an interpreter code whose text is only known at run time ("eval \"$(...)\"").</summary>
    public IReadOnlyList<string> GeneratedCode { get; init; } = [];
}
