namespace NodeOps.Processes;

/// <summary>What a <see cref="BoundedProcess"/> run did. A run that timed out has exit code -1; Truncated says either stream hit the cap.</summary>
internal sealed record BoundedProcessResult(int ExitCode, string Stdout, string Stderr, bool TimedOut, bool Truncated, TimeSpan Duration);
