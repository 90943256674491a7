namespace NodeOps.Catalog;

/// <summary>
/// What a script version consists of, stored as one JSON text: changing the language or the parameters changes how
/// the script runs, so it makes a new version just as a change of content does.
/// </summary>
internal sealed record ScriptPayload(string Language, string Content, IReadOnlyList<ScriptParameter> Parameters);
