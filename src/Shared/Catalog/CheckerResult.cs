namespace NodeOps.Catalog;

/// <summary>The outcome of a checker process. Output is capped at <see cref="CheckerProcess.MaxOutputChars"/> per stream.</summary>
internal sealed record CheckerResult(int ExitCode, string Stdout, string Stderr, bool TimedOut);
