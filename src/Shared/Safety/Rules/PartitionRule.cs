using System.Collections.Frozen;
using NodeOps.Safety.Shell;

namespace NodeOps.Safety.Rules;

/// <summary>
/// Partitioning tools pointed at a device in a mode that can write the partition table. Their listing modes
/// ("fdisk -l", "sfdisk -d", "parted /dev/sda print") are fine. Interactive use on a device is blocked, because
/// over SSH its answers come from a script or here-document the guard cannot always see.
/// </summary>
internal static class PartitionRule
{
    /// <summary>sgdisk options that take a value, so "-c1:boot" is read as a name, not as flags.</summary>
    public const string SgdiskValueFlags = "aAbcdhilmnrtTuU";

    private static readonly FrozenSet<string> MutatingPartedCommands = new[]
    {
        "mklabel", "mktable", "mkpart", "mkpartfs", "rm", "resizepart", "resize", "rescue", "move", "cp", "mkfs", "name",
        "set", "toggle", "disk_set", "disk_toggle", "type",
    }.ToFrozenSet(StringComparer.Ordinal);

    private static readonly FrozenSet<string> SgdiskReadOnlyOptions = new[]
    {
        "print", "info", "verify", "print-mbr", "pretend", "backup", "list-types", "version", "help", "usage",
        "display-alignment", "end-of-largest", "first-in-largest", "first-aligned-in-largest",
    }.ToFrozenSet(StringComparer.Ordinal);

    public static bool Matches(SimpleCommand command, RuleContext context)
    {
        switch (command.Name)
        {
            case "fdisk":
                var fdisk = ParsedArgs.Parse(command.Words, 1, "bCHSowWt");
                var lists = fdisk.HasAny("lxsVh") || fdisk.HasLong("list") || fdisk.HasLong("list-details") || fdisk.HasLong("getsz");
                return !lists && fdisk.Operands.Any(context.IsBlockDevice);
            case "sfdisk":
                var sfdisk = ParsedArgs.Parse(command.Words, 1, "NXYOwW");
                var reads = sfdisk.HasAny("ldJsgVFTh") || sfdisk.LongNames.Any(n => n is "list" or "dump" or "json" or "show-size"
                    or "show-geometry" or "verify" or "list-free" or "list-types" or "help" or "version");
                return !reads && sfdisk.Operands.Any(context.IsBlockDevice);
            case "parted":
                return Parted(command, context);
            case "gdisk" or "cgdisk" or "cfdisk":
                var interactive = ParsedArgs.Parse(command.Words);
                return !interactive.Has('l') && interactive.Operands.Any(context.IsBlockDevice);
            case "sgdisk":
                return !SgdiskOnlyReads(command) && command.Arguments.Any(context.IsBlockDevice);
            default:
                return false;
        }
    }

    private static bool Parted(SimpleCommand command, RuleContext context)
    {
        var args = ParsedArgs.Parse(command.Words, 1, "a", ["align"]);
        if (args.HasAny("lvh") || args.HasLong("list") || args.Operands.Count == 0 || !context.IsBlockDevice(args.Operands[0]))
        {
            return false;
        }

        // No commands means parted reads them from standard input.
        return args.Operands.Count == 1 || args.Operands.Skip(1).Any(w => MutatingPartedCommands.Contains(w.Value));
    }

    private static bool SgdiskOnlyReads(SimpleCommand command)
    {
        var args = ParsedArgs.Parse(command.Words, 1, SgdiskValueFlags);
        if (args.Has('P') || args.HasLong("pretend"))
        {
            return true;
        }

        return args.Flags.All(f => "pivObLVDEfF?".Contains(f, StringComparison.Ordinal)) && args.LongNames.All(SgdiskReadOnlyOptions.Contains);
    }
}
