using NodeOps.Safety.Shell;

namespace NodeOps.Safety.Rules;

/// <summary>Deleting "/", a system directory or everything in one: rm -r, find -delete / -exec rm, rsync --delete.</summary>
internal static class DeleteRule
{
    public static bool Matches(SimpleCommand command, RuleContext context) => command.Name switch
    {
        "rm" => Rm(command, context),
        "find" => Find(command, context),
        "rsync" => Rsync(command, context),
        _ => false,
    };

    /// <summary>
    /// GNU rm takes options anywhere before "--", so "rm / -rf" is recursive too. Without -r, rm cannot remove a
    /// directory, but "rm -f /etc/*" still empties one.
    /// </summary>
    private static bool Rm(SimpleCommand command, RuleContext context)
    {
        var args = ParsedArgs.Parse(command.Words);
        var recursive = args.HasAny("rR") || args.HasLongAbbreviation("recursive", 1);
        return args.Operands.Any(operand => context.Risk(operand) switch
        {
            PathRisk.SystemDirectoryContents => true,
            PathRisk.SystemDirectory => recursive,
            _ => false,
        });
    }

    /// <summary>A name test ("-name '*.gz'") makes find delete chosen files, which is routine clean-up.</summary>
    private static bool Find(SimpleCommand command, RuleContext context)
    {
        if (FindCommand.From(command) is not { SelectsByName: false } find)
        {
            return false;
        }

        var deletes = find.Deletes || find.ExecutedPrograms().Any(p => p is "rm" or "unlink" or "rmdir" or "shred");
        return deletes && find.StartPaths.Any(context.IsSystemPath);
    }

    /// <summary>"rsync -a --delete empty/ /" makes "/" as empty as the source.</summary>
    private static bool Rsync(SimpleCommand command, RuleContext context)
    {
        var args = ParsedArgs.Parse(command.Words, 1, "eBfTM");
        return args.HasLongStartingWith("del") && args.Operands.Count >= 2 && context.IsSystemPath(args.Operands[^1]);
    }
}
