using NodeOps.Safety.Shell;

namespace NodeOps.Safety.Rules;

/// <summary>What a command rule may know besides the command: where the shell is, as far as the input shows.</summary>
internal sealed class RuleContext
{
    public string? WorkingDirectory { get; set; }

    public PathRisk Risk(ShellWord word) => SystemPaths.Classify(word, WorkingDirectory);

    public bool IsSystemPath(ShellWord word) => Risk(word) != PathRisk.None;

    public bool IsBlockDevice(ShellWord word) => DevicePaths.IsBlockDevice(word, WorkingDirectory);

    public bool IsSysrqTrigger(ShellWord word) => SystemPaths.Normalize(word.Value, WorkingDirectory) == "/proc/sysrq-trigger";
}
