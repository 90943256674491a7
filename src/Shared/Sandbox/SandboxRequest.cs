namespace NodeOps.Sandbox;

/// <summary>
/// A program to run in the sandbox: its file and arguments, the one private folder it may write (bound at the same
/// path, and its working directory), and further folders it may read (a tool installed outside /usr).
/// </summary>
public sealed record SandboxRequest(string FileName, IReadOnlyList<string> Arguments, string WritableFolder)
{
    public IReadOnlyList<string> ReadOnlyFolders { get; init; } = [];
}
