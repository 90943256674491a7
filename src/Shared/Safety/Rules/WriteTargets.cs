using NodeOps.Safety.Shell;

namespace NodeOps.Safety.Rules;

/// <summary>The files a command opens for writing, by the ways operators usually write raw data.</summary>
internal static class WriteTargets
{
    /// <summary>Targets of "&gt;", "&gt;&gt;", "&amp;&gt;", "&lt;&gt;" and friends.</summary>
    public static IEnumerable<ShellWord> Redirected(SimpleCommand command) =>
        command.Redirections.Where(r => r.Writes).Select(r => r.Target);

    /// <summary>Files named as outputs in arguments: tee's files, cp's and install's destination.</summary>
    public static IEnumerable<ShellWord> Arguments(SimpleCommand command)
    {
        switch (command.Name)
        {
            case "tee":
                return ParsedArgs.Parse(command.Words).Operands;
            case "cp" or "install":
                var args = ParsedArgs.Parse(command.Words, 1, "tSgmo", ["target-directory", "suffix", "group", "mode", "owner"]);
                if ((args.Value('t') ?? args.LongValue("target-directory")) is { } directory)
                {
                    return [new ShellWord(directory)];
                }

                return args.Operands.Count >= 2 ? [args.Operands[^1]] : [];
            default:
                return [];
        }
    }

    /// <summary>dd's "of=" operand.</summary>
    public static IEnumerable<ShellWord> DdOutput(SimpleCommand command) =>
        command.Name == "dd"
            ? command.Arguments.Where(w => w.Value.StartsWith("of=", StringComparison.Ordinal)).Select(w => new ShellWord(w.Value[3..]))
            : [];
}
