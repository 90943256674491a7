namespace NodeOps.Executions.Kinds;

/// <summary>
/// What a script execution runs: the script as it was at submission, and the final parameter values. Values of
/// secret parameters are only in <see cref="ProtectedParameters"/>, encrypted (<see cref="ScriptSecrets"/>).
/// </summary>
public sealed record ScriptPayload(
    long ScriptId,
    string ScriptName,
    int ScriptVersion,
    string Language,
    string Content,
    IReadOnlyDictionary<string, string> Parameters,
    IReadOnlyDictionary<string, string>? ProtectedParameters = null);
