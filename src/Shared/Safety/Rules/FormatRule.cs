using NodeOps.Safety.Shell;

namespace NodeOps.Safety.Rules;

/// <summary>
/// Making a file system or swap on a device. Image and swap files ("mkswap /swapfile") are fine. A target the input
/// does not spell out ("mkfs.ext4 $DEV") is taken for a device, because formatting is rarely scripted blind; a
/// variable next to a literal file path ("mkfs.ext4 -L $LABEL /tmp/disk.img") is taken for an option value.
/// </summary>
internal static class FormatRule
{
    public static bool Matches(SimpleCommand command, RuleContext context)
    {
        var name = command.Name;
        var formats = name is "mkfs" or "mke2fs" or "mkswap" or "mkdosfs" or "mkexfatfs" or "mkntfs"
            || name.StartsWith("mkfs.", StringComparison.Ordinal);
        if (!formats)
        {
            return false;
        }

        var arguments = command.Arguments;
        if (arguments.Any(w => IsUnderDev(w, context)))
        {
            return true;
        }

        var namesAFile = arguments.Any(w => !w.HasUnknown && !w.StartsWithOption && w.Value.Contains('/', StringComparison.Ordinal));
        return !namesAFile && arguments.Any(w => w.HasUnknown);
    }

    private static bool IsUnderDev(ShellWord word, RuleContext context)
    {
        if (word.HasUnknown)
        {
            return word.Value.StartsWith("/dev/", StringComparison.Ordinal);
        }

        return SystemPaths.Normalize(word.Value, context.WorkingDirectory)?.StartsWith("/dev/", StringComparison.Ordinal) == true;
    }
}
