using NodeOps.Safety.Shell;

namespace NodeOps.Safety.Rules;

/// <summary>
/// Any write to /proc/sysrq-trigger: its letters reboot, power off, crash or kill everything at once, bypassing
/// shutdown, so it is blocked even when power actions are allowed.
/// </summary>
internal static class SysrqRule
{
    public static bool Matches(SimpleCommand command, RuleContext context) =>
        WriteTargets.Redirected(command)
            .Concat(WriteTargets.Arguments(command))
            .Concat(WriteTargets.DdOutput(command))
            .Any(context.IsSysrqTrigger);
}
