namespace NodeOps.Processes;

/// <summary>
/// One local program to run: the file and its arguments as a list (never through a shell), optional text for stdin
/// (without it stdin is closed at once), environment changes (a null value removes the variable; secrets go here,
/// never on the command line), the time it may take and how much of each output stream is kept.
/// </summary>
internal sealed record BoundedProcessStart(string FileName, IReadOnlyList<string> Arguments, TimeSpan Timeout)
{
    public const int DefaultOutputLimitBytes = 64 * 1024;

    public string? Stdin { get; init; }

    /// <summary>False starts from an empty environment, so only <see cref="Environment"/> reaches the program.</summary>
    public bool InheritEnvironment { get; init; } = true;

    public IReadOnlyDictionary<string, string?>? Environment { get; init; }

    public string? WorkingDirectory { get; init; }

    /// <summary>Kept per stream, in UTF-8 bytes; the rest is read and dropped so the program never blocks on a full pipe.</summary>
    public int OutputLimitBytes { get; init; } = DefaultOutputLimitBytes;
}
