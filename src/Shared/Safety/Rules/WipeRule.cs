using NodeOps.Safety.Shell;

namespace NodeOps.Safety.Rules;

/// <summary>
/// Erasing a device's signatures or data: wipefs -a, shred, blkdiscard, sgdisk --zap-all. Listing signatures
/// ("wipefs /dev/sdb") and shredding a regular file ("shred -u /tmp/secret") are fine.
/// </summary>
internal static class WipeRule
{
    public static bool Matches(SimpleCommand command, RuleContext context)
    {
        switch (command.Name)
        {
            case "wipefs":
                var wipefs = ParsedArgs.Parse(command.Words, 1, "otO", ["offset", "types", "output"]);
                var erases = wipefs.HasAny("ao") || wipefs.HasLong("all") || wipefs.HasLong("offset");
                var dryRun = wipefs.Has('n') || wipefs.HasLong("no-act");
                return erases && !dryRun && wipefs.Operands.Any(context.IsBlockDevice);
            case "shred":
                return ParsedArgs.Parse(command.Words, 1, "ns", ["iterations", "size", "random-source"]).Operands.Any(context.IsBlockDevice);
            case "blkdiscard":
                return ParsedArgs.Parse(command.Words, 1, "olp", ["offset", "length", "step"]).Operands.Any(context.IsBlockDevice);
            case "sgdisk":
                var sgdisk = ParsedArgs.Parse(command.Words, 1, PartitionRule.SgdiskValueFlags);
                var zaps = sgdisk.HasAny("Zzo") || sgdisk.HasLong("zap-all") || sgdisk.HasLong("zap") || sgdisk.HasLong("clear");
                return zaps && command.Arguments.Any(context.IsBlockDevice);
            default:
                return false;
        }
    }
}
