using NodeOps.Safety.Shell;

namespace NodeOps.Safety.Rules;

/// <summary>
/// Recursive chmod, chown or chgrp over "/" or a system directory: setuid bits, ssh keys and sudoers stop working
/// and cannot be restored by hand. A single file or an application directory is fine.
/// </summary>
internal static class PermissionRule
{
    public static bool Matches(SimpleCommand command, RuleContext context)
    {
        if (command.Name is "chmod" or "chown" or "chgrp")
        {
            var args = ParsedArgs.Parse(command.Words, 1, string.Empty, ["reference", "from"]);
            var recursive = args.Has('R') || args.HasLongAbbreviation("recursive", 4);
            return recursive && args.Operands.Any(context.IsSystemPath);
        }

        return FindCommand.From(command) is { SelectsByName: false } find
            && find.ExecutedPrograms().Any(p => p is "chmod" or "chown" or "chgrp")
            && find.StartPaths.Any(context.IsSystemPath);
    }
}
