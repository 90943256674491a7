using System.Collections.Frozen;
using NodeOps.Safety.Shell;

namespace NodeOps.Safety.Rules;

/// <summary>
/// Stopping or restarting the node: halt, poweroff, reboot, shutdown, init 0/1/6, systemctl's power verbs and
/// targets, kexec -e. Runlevel 1 is included because it stops sshd as surely as a power-off.
/// </summary>
internal static class PowerRule
{
    private static readonly FrozenSet<string> SystemctlVerbs = new[]
    {
        "poweroff", "halt", "reboot", "kexec", "soft-reboot", "suspend", "hibernate", "hybrid-sleep",
        "suspend-then-hibernate", "rescue", "emergency",
    }.ToFrozenSet(StringComparer.Ordinal);

    private static readonly FrozenSet<string> PowerTargets = new[]
    {
        "poweroff", "halt", "reboot", "kexec", "soft-reboot", "rescue", "emergency", "runlevel0", "runlevel1",
        "runlevel6", "ctrl-alt-del", "suspend", "hibernate", "hybrid-sleep",
    }.ToFrozenSet(StringComparer.Ordinal);

    public static bool Matches(SimpleCommand command, RuleContext context)
    {
        switch (command.Name)
        {
            case "halt" or "poweroff" or "reboot":
                return !command.Arguments.Any(w => w.Value is "--help" or "--version");
            case "shutdown":
                var shutdown = ParsedArgs.Parse(command.Words);
                return !shutdown.HasAny("ck") && !shutdown.HasLong("help") && !shutdown.HasLong("show");
            case "init" or "telinit":
                return command.Words.Count > 1 && command.Words[1].Value is "0" or "1" or "6" or "s" or "S" or "single";
            case "kexec":
                var kexec = ParsedArgs.Parse(command.Words, 1, "lpst");
                return kexec.HasAny("ef") || kexec.HasLong("exec") || kexec.HasLong("force");
            case "systemctl":
                return Systemctl(command);
            default:
                return false;
        }
    }

    private static bool Systemctl(SimpleCommand command)
    {
        var (verb, index) = SystemctlArguments.Verb(command.Words);
        if (verb is null)
        {
            return false;
        }

        if (SystemctlVerbs.Contains(verb))
        {
            return true;
        }

        return verb is "isolate" or "start" or "restart" or "reload-or-restart" or "try-restart"
            && command.Words.Skip(index + 1).Any(w => PowerTargets.Contains(TargetName(w.Value)));
    }

    private static string TargetName(string unit) =>
        unit.EndsWith(".target", StringComparison.Ordinal) ? unit[..^".target".Length] : unit;
}
