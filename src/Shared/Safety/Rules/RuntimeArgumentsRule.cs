using NodeOps.Safety.Shell;

namespace NodeOps.Safety.Rules;

/// <summary>
/// A command that xargs or parallel completes with arguments read at run time ("... | xargs rm -rf",
/// "... | xargs -I{} dd of={}"): the guard cannot see those paths, so the command is judged with the worst ones
/// it could get, "/" and a disk. "xargs rm -f" (files only) and "xargs grep foo" stay allowed.
/// </summary>
internal static class RuntimeArgumentsRule
{
    private static readonly string[] WorstCases = ["/", "/dev/sda"];

    public static bool Matches(SimpleCommand command, RuleContext context)
    {
        if (command.RuntimeArguments is not { } runtime)
        {
            return false;
        }

        foreach (var value in WorstCases)
        {
            var completed = command with { Words = runtime.Apply(command.Words, value), RuntimeArguments = null };
            if (GuardRuleTable.All.Any(rule => rule is { IsPowerAction: false, MatchesCommand: { } matches } && rule.Id != GuardRuleIds.DestructiveRuntimeArguments
                && matches(completed, context)))
            {
                return true;
            }
        }

        return false;
    }
}
