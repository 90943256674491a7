namespace NodeOps.Safety.Python;

/// <summary>One argument of a call: its keyword, if any, and its tokens as the index range [Start, End).</summary>
internal sealed record PythonArgument(string? Keyword, int Start, int End);
