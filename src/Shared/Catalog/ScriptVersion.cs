namespace NodeOps.Catalog;

/// <summary>One version of a script: what ran is the content, the language and the parameter declarations together.</summary>
public sealed record ScriptVersion(long Id, string Name, int Version, string Language, string Content, IReadOnlyList<ScriptParameter> Parameters, string ContentHash, DateTimeOffset CreatedAt, string CreatedBy);
