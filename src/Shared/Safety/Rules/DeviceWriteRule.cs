using NodeOps.Safety.Shell;

namespace NodeOps.Safety.Rules;

/// <summary>Writing to a block device by redirection ("&gt; /dev/sda"), tee or cp. Reading one ("cat /dev/sda | xxd") is fine.</summary>
internal static class DeviceWriteRule
{
    public static bool Matches(SimpleCommand command, RuleContext context) =>
        WriteTargets.Redirected(command).Concat(WriteTargets.Arguments(command)).Any(context.IsBlockDevice);
}
