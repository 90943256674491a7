using NodeOps.Safety.Shell;

namespace NodeOps.Safety.Rules;

/// <summary>dd writing to a block device ("of=/dev/sda"); reading one ("if=/dev/sda of=/tmp/mbr") is fine.</summary>
internal static class DdRule
{
    public static bool Matches(SimpleCommand command, RuleContext context) =>
        WriteTargets.DdOutput(command).Any(context.IsBlockDevice);
}
