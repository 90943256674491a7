namespace NodeOps.Sandbox;

/// <summary>What to start instead of the program itself: the sandbox launcher and its arguments, ending with the program's.</summary>
public sealed record SandboxedCommand(string FileName, IReadOnlyList<string> Arguments);
