using System.Collections.Frozen;
using System.Text.RegularExpressions;

namespace NodeOps.Safety.Shell;

/// <summary>
/// Commands that hand a string to an interpreter: "bash -c", eval, watch, su -c, ssh, python -c, and shells that
/// read their commands from a here-document or a pipe ("echo 'rm -rf /' | sh"). The string is parsed again.
/// </summary>
internal static partial class ShellInvocations
{
    private static readonly FrozenSet<string> Shells =
        new[] { "sh", "bash", "rbash", "zsh", "dash", "ksh", "mksh", "ash", "yash" }.ToFrozenSet(StringComparer.Ordinal);

    private static readonly FrozenSet<string> SuValueOptions =
        new[] { "command", "session-command", "group", "supp-group", "shell", "whitelist-environment" }.ToFrozenSet(StringComparer.Ordinal);

    private static readonly FrozenSet<string> NoValues = FrozenSet<string>.Empty;

    /// <summary>Interpreters other than shells and Python that run a program from a file or standard input.</summary>
    private static readonly FrozenSet<string> ScriptInterpreters =
        new[] { "perl", "ruby", "node", "nodejs", "php", "lua", "tclsh" }.ToFrozenSet(StringComparer.Ordinal);

    public static bool IsShell(string name) => Shells.Contains(name);

    public static bool IsPython(string name) => PythonName().IsMatch(name);

    public static Unwrapped Unwrap(SimpleCommand command)
    {
        var name = command.Name;
        var words = command.Words;
        if (IsShell(name))
        {
            return Shell(command);
        }

        if (IsPython(name))
        {
            return Python(command);
        }

        return name switch
        {
            "eval" => Unwrapped.Delegating("eval", WrappedPart.Shell(Join(words, 1))),
            "watch" => Watch(words),
            "su" => Su(words),
            "ssh" => Ssh(words),
            _ => Unwrapped.None,
        };
    }

    /// <summary>"runuser -u user -- cmd" runs cmd directly; "runuser user -c 'cmd'" hands it to a shell.</summary>
    public static Unwrapped RunUser(IReadOnlyList<ShellWord> words)
    {
        var options = ParsedArgs.Parse(words, 1, "ugGcsw", SuValueOptions, stopAtOperand: true);
        if (options.Has('u') || options.HasLong("user"))
        {
            return Unwrapped.Transparent("runuser", words, options.Next);
        }

        // In su mode the options may follow the user name.
        var all = ParsedArgs.Parse(words, 1, "ugGcsw", SuValueOptions);
        return (all.Value('c') ?? all.LongValue("command")) is { } script
            ? Unwrapped.Delegating("runuser -c", WrappedPart.Shell(script))
            : Unwrapped.None;
    }

    private static string Join(IReadOnlyList<ShellWord> words, int from) => string.Join(' ', words.Skip(from).Select(w => w.Value));

    private static Unwrapped Shell(SimpleCommand command)
    {
        var words = command.Words;
        var (dashC, dashS, i) = ReadShellOptions(words);
        var name = dashC ? $"{command.Name} -c" : command.Name;
        if (dashC)
        {
            return i < words.Count ? Unwrapped.Delegating(name, WrappedPart.Shell(words[i].Value)) : Unwrapped.Delegating(name);
        }

        // A script file's contents are unknown here; only standard input can be inspected ("-s" reads it even
        // when arguments follow, as in "curl ... | bash -s -- --flag").
        return i < words.Count && !dashS
            ? Unwrapped.Delegating(name)
            : Unwrapped.Delegating(name, StandardInput(command).Select(WrappedPart.Shell).ToArray());
    }

    /// <summary>
    /// Where an interpreter this command starts reads its program: standard input ("| sh", "python3 -", "bash -s"),
    /// a file operand (returned, so "sh &lt;(curl ...)" can be seen), or its own arguments (-c, -e, -m: neither).
    /// </summary>
    public static (bool FromStandardInput, ShellWord? File) ProgramSource(SimpleCommand command)
    {
        ArgumentNullException.ThrowIfNull(command);
        var words = command.Words;
        var name = command.Name;
        if (name is "source" or ".")
        {
            return words.Count > 1 ? (IsStandardInput(words[1].Value), words[1]) : (false, null);
        }

        int next;
        if (IsShell(name))
        {
            var (dashC, dashS, i) = ReadShellOptions(words);
            if (dashC)
            {
                return (false, null);
            }

            if (dashS || i >= words.Count)
            {
                return (true, null);
            }

            next = i;
        }
        else if (IsPython(name) || ScriptInterpreters.Contains(name))
        {
            // -c/-m for Python, -e/-E/-r (--eval) for the others: the program is an argument, not a file or stdin.
            var python = IsPython(name);
            var args = ParsedArgs.Parse(words, 1, python ? "WX" : string.Empty, NoValues, stopAtOperand: true);
            if (args.HasAny(python ? "cm" : "eEr") || args.HasLong("eval") || args.HasLong("print"))
            {
                return (false, null);
            }

            next = args.Next;
            if (next >= words.Count)
            {
                return (true, null);
            }
        }
        else
        {
            return (false, null);
        }

        return (IsStandardInput(words[next].Value), words[next]);
    }

    private static bool IsStandardInput(string operand) => operand is "-" or "/dev/stdin" or "/dev/fd/0" or "/proc/self/fd/0";

    /// <summary>A shell's options: whether it runs -c text, reads standard input (-s), and where its operands start.</summary>
    private static (bool DashC, bool DashS, int Next) ReadShellOptions(IReadOnlyList<ShellWord> words)
    {
        var dashC = false;
        var dashS = false;
        var i = 1;
        for (; i < words.Count; i++)
        {
            var word = words[i].Value;
            if (word is "--" or "-")
            {
                i++;
                break;
            }

            if (word.StartsWith("--", StringComparison.Ordinal))
            {
                if (word is "--rcfile" or "--init-file")
                {
                    i++;
                }

                continue;
            }

            if (word.Length > 1 && word[0] is '-' or '+')
            {
                dashC |= word[0] == '-' && word.Contains('c', StringComparison.Ordinal);
                dashS |= word[0] == '-' && word.Contains('s', StringComparison.Ordinal);
                if (word.AsSpan(1).IndexOfAny("oO") >= 0)
                {
                    i++;
                }

                continue;
            }

            break;
        }

        return (dashC, dashS, i);
    }

    /// <summary>"python3 -u -c CODE" runs CODE; "-m mod", a script file or "-" run code this guard cannot see.</summary>
    private static Unwrapped Python(SimpleCommand command)
    {
        var words = command.Words;
        for (var i = 1; i < words.Count; i++)
        {
            var word = words[i].Value;
            if (word == "-" || word.Length < 2 || word[0] != '-' || word.StartsWith("--", StringComparison.Ordinal))
            {
                return Unwrapped.Delegating(command.Name);
            }

            for (var k = 1; k < word.Length; k++)
            {
                var flag = word[k];
                if (flag is not ('c' or 'm' or 'W' or 'X'))
                {
                    continue;
                }

                // These flags take the rest of the word, or the next word, as their value.
                var value = k + 1 < word.Length ? word[(k + 1)..] : (i + 1 < words.Count ? words[++i].Value : string.Empty);
                if (flag == 'c')
                {
                    return Unwrapped.Delegating($"{command.Name} -c", WrappedPart.Python(value));
                }

                if (flag == 'm')
                {
                    return Unwrapped.Delegating(command.Name);
                }

                break;
            }
        }

        return Unwrapped.Delegating(command.Name, StandardInput(command).Select(WrappedPart.Python).ToArray());
    }

    /// <summary>What a shell reading standard input would run: a here-document, a here-string, or echo/printf piped in.</summary>
    private static IEnumerable<string> StandardInput(SimpleCommand command)
    {
        foreach (var redirection in command.Redirections)
        {
            if (redirection.StandardInputText is { } text)
            {
                yield return text;
            }
        }

        if (command.StdinFrom is not { } source)
        {
            yield break;
        }

        switch (source.Name)
        {
            case "echo":
                yield return Join(source.Words.Where(w => !EchoOption().IsMatch(w.Value)).ToArray(), 1);
                break;
            case "printf" when source.Words.Count > 1:
                var format = source.Words[1].Value.Replace("\\n", "\n", StringComparison.Ordinal).Replace("%s", string.Empty, StringComparison.Ordinal);
                yield return format + "\n" + string.Join('\n', source.Words.Skip(2).Select(w => w.Value));
                break;
            case "cat":
                foreach (var redirection in source.Redirections)
                {
                    if (redirection.StandardInputText is { } text)
                    {
                        yield return text;
                    }
                }

                break;
        }
    }

    private static Unwrapped Watch(IReadOnlyList<ShellWord> words)
    {
        var args = ParsedArgs.Parse(words, 1, "nq", NoValues, stopAtOperand: true);
        if (args.Next >= words.Count)
        {
            return Unwrapped.Delegating("watch");
        }

        // Without -x, watch joins its arguments and runs them with "sh -c".
        return args.Has('x') || args.HasLong("exec")
            ? Unwrapped.Delegating("watch", WrappedPart.Command(words.Skip(args.Next).ToArray()))
            : Unwrapped.Delegating("watch", WrappedPart.Shell(Join(words, args.Next)));
    }

    private static Unwrapped Su(IReadOnlyList<ShellWord> words)
    {
        var args = ParsedArgs.Parse(words, 1, "cgGsw", SuValueOptions);
        var script = args.Value('c') ?? args.LongValue("command") ?? args.LongValue("session-command");
        return script is null ? Unwrapped.Delegating("su") : Unwrapped.Delegating("su -c", WrappedPart.Shell(script));
    }

    /// <summary>ssh joins the words after the host and runs them with the remote user's shell.</summary>
    private static Unwrapped Ssh(IReadOnlyList<ShellWord> words)
    {
        var args = ParsedArgs.Parse(words, 1, "BbcDEeFIiJLlmOoPpQRSWw", NoValues, stopAtOperand: true);
        return args.Next + 1 < words.Count
            ? Unwrapped.Delegating("ssh", WrappedPart.Shell(Join(words, args.Next + 1)))
            : Unwrapped.Delegating("ssh");
    }

    [GeneratedRegex(@"^python[0-9.]*$")]
    private static partial Regex PythonName();

    [GeneratedRegex("^-[neE]+$")]
    private static partial Regex EchoOption();
}
