namespace NodeOps.Safety.Python;

/// <summary>A call argument whose value the source spells out: a string, or a list or tuple of strings.</summary>
internal sealed record PythonValue(string? Text, IReadOnlyList<string>? Items);
