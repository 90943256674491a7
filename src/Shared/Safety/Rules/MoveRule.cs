using NodeOps.Safety.Shell;

namespace NodeOps.Safety.Rules;

/// <summary>Moving "/" or a system directory away ("mv /etc /tmp"); renaming a file inside one is fine.</summary>
internal static class MoveRule
{
    public static bool Matches(SimpleCommand command, RuleContext context)
    {
        if (command.Name != "mv")
        {
            return false;
        }

        var args = ParsedArgs.Parse(command.Words, 1, "tS", ["target-directory", "suffix"]);
        var intoDirectory = args.Value('t') ?? args.LongValue("target-directory");
        var sources = intoDirectory is not null || args.Operands.Count < 2 ? args.Operands : args.Operands[..^1];
        return sources.Any(context.IsSystemPath);
    }
}
