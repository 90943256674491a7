using NodeOps.Safety.Shell;

namespace NodeOps.Safety.Rules;

/// <summary>
/// Making a file system or swap on a device. Image and swap files ("mkswap /swapfile") are fine; a target the
/// input does not spell out ("mkfs.ext4 $DEV") is treated as a device, because formatting is rarely scripted blind.
/// </summary>
internal static class FormatRule
{
    public static bool Matches(SimpleCommand command, RuleContext context)
    {
        var name = command.Name;
        var formats = name is "mkfs" or "mke2fs" or "mkswap" or "mkdosfs" or "mkexfatfs" or "mkntfs"
            || name.StartsWith("mkfs.", StringComparison.Ordinal);
        return formats && command.Arguments.Any(w => w.HasUnknown || IsUnderDev(w, context));
    }

    private static bool IsUnderDev(ShellWord word, RuleContext context) =>
        SystemPaths.Normalize(word.Value, context.WorkingDirectory)?.StartsWith("/dev/", StringComparison.Ordinal) == true;
}
