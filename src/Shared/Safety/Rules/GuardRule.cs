using NodeOps.Safety.Shell;

namespace NodeOps.Safety.Rules;

/// <summary>One entry of the rule table: an id callers can rely on, a description for people, and a matcher.</summary>
/// <param name="Id">Stable id, one of <see cref="GuardRuleIds"/>.</param>
/// <param name="Description">Chinese and English, shown in the 422 error.</param>
/// <param name="IsPowerAction">Skipped when <see cref="GuardOptions.AllowPowerActions"/> is set.</param>
internal sealed record GuardRule(string Id, string Description, bool IsPowerAction = false)
{
    /// <summary>Judges one simple command.</summary>
    public Func<SimpleCommand, RuleContext, bool>? MatchesCommand { get; init; }

    /// <summary>Judges the whole input; returns the offending text, or null.</summary>
    public Func<ShellScript, string?>? FindInScript { get; init; }
}
