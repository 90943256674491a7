namespace NodeOps.Safety;

/// <summary>The classifier's answer for one command line.</summary>
/// <param name="Access">Read or Write.</param>
/// <param name="Reason">Why, in Chinese and English; for Write, names the first command that is not read-only.</param>
/// <param name="Command">The simple command that made it Write, as written; null for Read.</param>
public sealed record CommandClassification(CommandAccess Access, string Reason, string? Command)
{
    public bool IsReadOnly => Access == CommandAccess.Read;
}
