namespace NodeOps.Catalog;

/// <summary>The languages a script may be written in, as the API spells them.</summary>
public static class ScriptLanguages
{
    public const string Shell = "shell";
    public const string Python = "python";

    public static IReadOnlyList<string> All { get; } = [Shell, Python];

    public static bool IsKnown(string? language) => language is Shell or Python;
}
