using NodeOps.Safety.Python;
using NodeOps.Safety.Shell;

namespace NodeOps.Safety.Rules;

/// <summary>Runs the rule table over parsed input.</summary>
internal static class GuardEngine
{
    private const int MaxShownCommand = 300;

    public static GuardVerdict CheckShell(string text, GuardOptions options, int depth)
    {
        var script = ShellParser.Parse(text);
        var verdict = Evaluate(script, options, depth);
        if (verdict.IsBlocked || script.UnterminatedText is not { } hidden)
        {
            return verdict;
        }

        // Bash refuses input with an unterminated quote, but a caller that wraps or joins commands may close it,
        // so what the open quote hides is judged as code as well: "echo '; rm -rf /" is blocked.
        return Evaluate(ShellParser.Parse(hidden), options, depth);
    }

    public static GuardVerdict Block(GuardRule rule, string offending)
    {
        var shown = offending.Trim();
        if (shown.Length > MaxShownCommand)
        {
            shown = string.Concat(shown.AsSpan(0, MaxShownCommand), "…");
        }

        return new GuardVerdict(true, rule.Id, rule.Description, shown);
    }

    private static GuardVerdict Evaluate(ShellScript script, GuardOptions options, int depth)
    {
        foreach (var rule in GuardRuleTable.All)
        {
            if (Applies(rule, options) && rule.FindInScript?.Invoke(script) is { } found)
            {
                return Block(rule, found);
            }
        }

        var context = new RuleContext();
        foreach (var command in script.Commands)
        {
            foreach (var rule in GuardRuleTable.All)
            {
                if (Applies(rule, options) && rule.MatchesCommand?.Invoke(command, context) == true)
                {
                    return Block(rule, command.Source);
                }
            }

            context.WorkingDirectory = WorkingDirectory.After(command, context.WorkingDirectory);
        }

        foreach (var source in script.PythonSources)
        {
            var verdict = PythonInspector.Check(source, options, depth + 1);
            if (verdict.IsBlocked)
            {
                return verdict;
            }
        }

        return GuardVerdict.Allowed;
    }

    private static bool Applies(GuardRule rule, GuardOptions options) => !rule.IsPowerAction || !options.AllowPowerActions;
}
