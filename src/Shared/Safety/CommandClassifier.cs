using NodeOps.Safety.Classification;
using NodeOps.Safety.Shell;

namespace NodeOps.Safety;

/// <summary>
/// Tells the assistant whether a shell command line only reads. A line is Read only when every simple command in it
/// (pipeline stages, substitutions, commands run by wrappers) is a known read-only command used in a read-only way
/// and no output is redirected to a file. Everything else is Write, including whatever the classifier does not know:
/// unknown commands, xargs, eval, "bash -c", scripts, and input bash would reject. kubectl is judged by its verb;
/// a mutating kubectl verb with an explicit "--dry-run=client" or "--dry-run=server" counts as Read, because
/// kubectl then persists nothing.
/// </summary>
public static class CommandClassifier
{
    public static CommandClassification Classify(string command)
    {
        ArgumentNullException.ThrowIfNull(command);
        if (string.IsNullOrWhiteSpace(command))
        {
            return new(CommandAccess.Read, "空命令 / empty command", null);
        }

        var script = ShellParser.Parse(command);
        if (script.TooDeep)
        {
            return new(CommandAccess.Write, "命令嵌套过深，无法判断 / nested too deeply to judge", command);
        }

        if (script.Incomplete)
        {
            return new(CommandAccess.Write, "引号、括号或替换未闭合 / unterminated quote, bracket or substitution", command);
        }

        // Whatever the guard would block is never a harmless read, whatever the allow-list says about its parts.
        var verdict = DangerousCommandGuard.Check(command);
        if (verdict.IsBlocked)
        {
            return new(CommandAccess.Write, $"危险命令 / dangerous command: {verdict.Reason}", verdict.Command);
        }

        var functions = script.Functions.Select(f => f.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var simple in script.Commands)
        {
            // A function may shadow a read-only name (":" in a fork bomb); its body is judged, but the call is not trusted.
            if (functions.Contains(simple.Name))
            {
                return new(CommandAccess.Write, $"{simple.Name}: 调用命令中定义的函数 / calls a function defined in the command line", simple.Source);
            }

            if (AccessRules.WhyWrite(simple) is { } reason)
            {
                return new(CommandAccess.Write, reason, simple.Source);
            }
        }

        return new(CommandAccess.Read, "所有命令均为只读 / every command only reads", null);
    }
}
