using NodeOps.Safety.Shell;

namespace NodeOps.Safety.Rules;

/// <summary>
/// Follows "cd" through a command list so that "cd / &amp;&amp; rm -rf *" is judged as "rm -rf /*". Only literal
/// directories are followed; anything else makes the directory unknown again, and relative paths are then ignored.
/// </summary>
internal static class WorkingDirectory
{
    public static string? After(SimpleCommand command, string? current)
    {
        if (command.Name is not ("cd" or "pushd"))
        {
            return current;
        }

        var target = command.Arguments.FirstOrDefault(w => !w.StartsWithOption);
        if (target is null)
        {
            return ShellWord.Home + "/";
        }

        return target.Value == "-" ? null : SystemPaths.Normalize(target.Value, current);
    }
}
