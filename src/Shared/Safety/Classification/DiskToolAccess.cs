using System.Collections.Frozen;
using NodeOps.Safety.Shell;

namespace NodeOps.Safety.Classification;

/// <summary>Disk and NIC tools, which read only in their listing modes.</summary>
internal static class DiskToolAccess
{
    private static readonly FrozenSet<string> PartedReadCommands = new[]
    {
        "print", "p", "unit", "s", "B", "kB", "MB", "MiB", "GB", "GiB", "TB", "TiB", "%", "cyl", "chs", "compact", "free",
        "list", "all", "help", "version",
    }.ToFrozenSet(StringComparer.Ordinal);

    private static readonly FrozenSet<string> EthtoolChanges = new[]
    {
        "-s", "--change", "-K", "--features", "--offload", "-G", "--set-ring", "-A", "--pause", "-C", "--coalesce", "-E",
        "--change-eeprom", "-f", "--flash", "-L", "--set-channels", "-N", "-U", "--config-nfc", "--config-ntuple", "-r",
        "--negotiate", "-W", "--set-dump", "--set-priv-flags", "--set-eee", "--set-fec", "--reset", "-X", "--set-rxfh-indir",
        "--set-phy-tunable", "--set-tunable", "--set-module", "-p", "--identify",
    }.ToFrozenSet(StringComparer.Ordinal);

    public static string? Fdisk(SimpleCommand command)
    {
        var args = ParsedArgs.Parse(command.Words, 1, "bCHSowWt");
        var lists = args.HasAny("lxsV") || args.HasLong("list") || args.HasLong("list-details") || args.HasLong("getsz");
        return lists ? null : ReadOnlyCommands.Because(command, "会修改分区表", "can change the partition table");
    }

    public static string? Sfdisk(SimpleCommand command)
    {
        var args = ParsedArgs.Parse(command.Words, 1, "NXYOwW");
        var reads = args.HasAny("ldJsgVFT") || args.LongNames.Any(n => n is "list" or "dump" or "json" or "show-size"
            or "show-geometry" or "verify" or "list-free" or "list-types");
        return reads ? null : ReadOnlyCommands.Because(command, "会修改分区表", "can change the partition table");
    }

    public static string? Parted(SimpleCommand command)
    {
        var args = ParsedArgs.Parse(command.Words, 1, "a", ["align"]);
        var reads = args.Has('l') || args.HasLong("list")
            || (args.Operands.Count >= 2 && args.Operands.Skip(1).All(w => PartedReadCommands.Contains(w.Value)));
        return reads ? null : ReadOnlyCommands.Because(command, "会修改分区表", "can change the partition table");
    }

    public static string? Blockdev(SimpleCommand command) =>
        command.Arguments.Where(w => w.StartsWithOption).All(w => w.Value.StartsWith("--get", StringComparison.Ordinal) || w.Value is "--report" or "-v" or "-q")
            ? null
            : ReadOnlyCommands.Because(command, "会修改块设备设置", "changes block device settings");

    public static string? Wipefs(SimpleCommand command)
    {
        var args = ParsedArgs.Parse(command.Words, 1, "otO", ["offset", "types", "output"]);
        var erases = args.HasAny("ao") || args.HasLong("all") || args.HasLong("offset");
        return erases && !args.Has('n') && !args.HasLong("no-act") ? ReadOnlyCommands.Because(command, "会擦除签名", "erases signatures") : null;
    }

    public static string? Ethtool(SimpleCommand command) =>
        command.Arguments.Any(w => EthtoolChanges.Contains(w.Value))
            ? ReadOnlyCommands.Because(command, "会修改网卡设置", "changes NIC settings")
            : null;
}
