namespace NodeOps.Safety;

/// <summary>The languages <see cref="DangerousCommandGuard.CheckScript"/> understands.</summary>
public enum ScriptLanguage
{
    /// <summary>sh or bash.</summary>
    Shell,

    Python,
}
