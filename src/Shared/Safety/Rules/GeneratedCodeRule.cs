using NodeOps.Safety.Shell;

namespace NodeOps.Safety.Rules;

/// <summary>
/// Code whose text only exists at run time: "eval \"$(...)\"", "sh -c \"$(...)\"", "bash &lt;&lt;&lt; \"$X\"",
/// "python3 -c \"$(...)\"", and interpreters or "source" reading a process substitution ("bash &lt;(curl ...)",
/// "source &lt;(...)", "sh &lt; &lt;(...)"). Every rule of the guard judges text; here there is none to judge.
/// </summary>
internal static class GeneratedCodeRule
{
    public static string? Find(ShellScript script) => script.GeneratedCode.Count > 0 ? script.GeneratedCode[0] : null;

    public static bool Matches(SimpleCommand command, RuleContext context)
    {
        var (fromStandardInput, file) = ShellInvocations.ProgramSource(command);
        if (file is { IsProcessSubstitution: true })
        {
            return true;
        }

        return fromStandardInput && command.Redirections.Any(r => r.Operator == "<" && r.Descriptor is null or 0 && r.Target.IsProcessSubstitution);
    }
}
