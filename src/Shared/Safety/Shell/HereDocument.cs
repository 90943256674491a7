namespace NodeOps.Safety.Shell;

/// <summary>
/// The body of a here-document. Mutable because bash reads the body only after the line that opened it ends,
/// by which time the command holding the redirection has already been built.
/// </summary>
internal sealed class HereDocument
{
    public string Body { get; set; } = string.Empty;
}
