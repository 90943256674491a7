namespace NodeOps.Safety.Shell;

/// <summary>An open "{ ...; }" or "( ... )" group; when it belongs to a function, closing it records the function.</summary>
internal sealed record OpenGroup(char Closer, string? FunctionName, int FirstCommand, int SourceStart);
