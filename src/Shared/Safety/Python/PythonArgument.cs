namespace NodeOps.Safety.Python;

/// <summary>One argument of a call: its keyword, if any, and its tokens.</summary>
internal sealed record PythonArgument(string? Keyword, IReadOnlyList<PythonToken> Tokens);
