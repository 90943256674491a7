using NodeOps.Safety.Shell;

namespace NodeOps.Safety.Classification;

/// <summary>Decides whether one simple command may write.</summary>
internal static class AccessRules
{
    /// <summary>Why the command may write, or null when it only reads.</summary>
    public static string? WhyWrite(SimpleCommand command)
    {
        foreach (var redirection in command.Redirections)
        {
            if (redirection.Writes && !IsHarmlessSink(redirection.Target))
            {
                return $"输出重定向到文件 {redirection.Target} / output is redirected to a file";
            }
        }

        if (command.Words.Count == 0)
        {
            return null;
        }

        return command.Wrapper switch
        {
            // The wrapped command is judged on its own.
            WrapperKind.Transparent => null,
            WrapperKind.Delegating => $"{command.Name} 会执行其他命令 / runs other commands",
            _ when command.Name.Contains(ShellWord.Unknown, StringComparison.Ordinal) => "命令名在运行时才确定 / the command name is only known at run time",
            _ when command.Name == "kubectl" => KubectlAccess.WhyWrite(command),
            _ => ReadOnlyCommands.WhyWrite(command),
        };
    }

    /// <summary>Writing to these creates no file.</summary>
    public static bool IsHarmlessSink(ShellWord target) =>
        target.Value is "/dev/null" or "/dev/stdout" or "/dev/stderr" or "/dev/fd/1" or "/dev/fd/2" or "-";
}
