namespace NodeOps.Executions.Kinds;

/// <summary>What a script execution runs: the script as it was at submission, and the final parameter values.</summary>
public sealed record ScriptPayload(long ScriptId, string ScriptName, int ScriptVersion, string Language, string Content, IReadOnlyDictionary<string, string> Parameters);
