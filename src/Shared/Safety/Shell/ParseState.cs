namespace NodeOps.Safety.Shell;

/// <summary>What all parsers of one input share: nested strings (bash -c, backticks) add to the same lists.</summary>
internal sealed class ParseState(string text)
{
    public List<SimpleCommand> Commands { get; } = [];

    public List<FunctionDefinition> Functions { get; } = [];

    public List<string> PythonSources { get; } = [];

    /// <summary>Commands that run code only known at run time ("eval \"$(...)\"", "sh -c \"$X\""), as written.</summary>
    public List<string> GeneratedCode { get; } = [];

    /// <summary>Variables assigned literal values earlier in the input, so "D=/; rm -rf $D" is seen for what it is.</summary>
    public Dictionary<string, string> Variables { get; } = new(StringComparer.Ordinal);

    public bool Incomplete { get; set; }

    public string? UnterminatedText { get; set; }

    public bool TooDeep { get; set; }

    public ShellScript ToScript() =>
        new(text, Commands, Functions, PythonSources, Incomplete, UnterminatedText, TooDeep) { GeneratedCode = GeneratedCode };
}
