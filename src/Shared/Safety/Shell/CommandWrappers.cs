using System.Buffers;
using System.Collections.Frozen;

namespace NodeOps.Safety.Shell;

/// <summary>
/// Commands that run another command named in their arguments. Each entry knows the wrapper's own options, so
/// "sudo -u root -- rm -rf /" yields "rm -rf /" and "timeout 5 cat x" yields "cat x", not "5 cat x".
/// </summary>
internal static class CommandWrappers
{
    private static readonly SearchValues<char> NameCharacters =
        SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_");

    private static readonly FrozenSet<string> SudoValueOptions = Set(
        "close-from", "chdir", "group", "host", "prompt", "chroot", "role", "type", "command-timeout", "other-user", "user");

    private static readonly FrozenSet<string> EnvValueOptions = Set("unset", "chdir", "split-string");
    private static readonly FrozenSet<string> TimeoutValueOptions = Set("kill-after", "signal");
    private static readonly FrozenSet<string> XargsValueOptions = Set("arg-file", "delimiter", "eof", "replace", "max-lines", "max-args", "max-procs", "max-chars", "process-slot-var");
    private static readonly FrozenSet<string> ParallelValueOptions = Set(
        "jobs", "sshlogin", "max-args", "max-lines", "arg-file", "delimiter", "eof", "colsep", "results", "joblog", "tmpdir", "delay",
        "timeout", "retries", "workdir", "basefile", "env", "halt", "memfree", "load", "max-replace-args", "tagstring", "tag-string", "replace");

    private static readonly FrozenSet<string> NsenterValueOptions = Set("target", "setuid", "setgid", "env");
    private static readonly FrozenSet<string> StdbufValueOptions = Set("input", "output", "error");
    private static readonly FrozenSet<string> TimeValueOptions = Set("format", "output");
    private static readonly FrozenSet<string> ChrootValueOptions = Set("userspec", "groups");
    private static readonly FrozenSet<string> NiceValueOptions = Set("adjustment");

    public static Unwrapped Unwrap(SimpleCommand command)
    {
        var words = command.Words;
        if (words.Count < 2 && !ShellInvocations.IsShell(command.Name) && !ShellInvocations.IsPython(command.Name))
        {
            return Unwrapped.None;
        }

        var name = command.Name;
        return name switch
        {
            "sudo" => Sudo(words),
            "doas" => Simple(name, words, "uC"),
            "env" => Env(words),
            "nice" => Simple(name, words, "n", NiceValueOptions),
            "nohup" or "builtin" or "busybox" or "setsid" => Simple(name, words, string.Empty),
            "exec" => Simple(name, words, "a"),
            "stdbuf" => Simple(name, words, "ioe", StdbufValueOptions),
            "time" => Simple(name, words, "fo", TimeValueOptions),
            "command" => Command(words),
            "timeout" => AfterOperand(name, words, "ks", TimeoutValueOptions, skipFlags: string.Empty),
            "chroot" => AfterOperand(name, words, string.Empty, ChrootValueOptions, skipFlags: string.Empty),
            "taskset" => AfterOperand(name, words, string.Empty, null, skipFlags: "p"),
            "chrt" => AfterOperand(name, words, "TPD", null, skipFlags: "pm"),
            "ionice" => IoNice(words),
            "nsenter" => Nsenter(words),
            "runuser" => ShellInvocations.RunUser(words),
            "xargs" => Xargs(words),
            "parallel" => Parallel(words),
            "find" => FindExec(words),
            "kubectl" => KubectlExec(words),
            _ => ShellInvocations.Unwrap(command),
        };
    }

    private static FrozenSet<string> Set(params string[] names) => names.ToFrozenSet(StringComparer.Ordinal);

    private static Unwrapped Simple(string name, IReadOnlyList<ShellWord> words, string valueFlags, IReadOnlyCollection<string>? valueOptions = null) =>
        Unwrapped.Transparent(name, words, ParsedArgs.Parse(words, 1, valueFlags, valueOptions, stopAtOperand: true).Next);

    /// <summary>Wrappers whose first operand is theirs (a duration, a new root, a CPU mask) and the rest the command.</summary>
    private static Unwrapped AfterOperand(string name, IReadOnlyList<ShellWord> words, string valueFlags, IReadOnlyCollection<string>? valueOptions, string skipFlags)
    {
        var args = ParsedArgs.Parse(words, 1, valueFlags, valueOptions, stopAtOperand: true);
        return args.HasAny(skipFlags) ? Unwrapped.None : Unwrapped.Transparent(name, words, args.Next + 1);
    }

    private static Unwrapped Sudo(IReadOnlyList<ShellWord> words)
    {
        var args = ParsedArgs.Parse(words, 1, "CDgpRrtTUu", SudoValueOptions, stopAtOperand: true);

        // Editing, listing and validating run no command of the caller's.
        if (args.HasAny("elvVK") || args.HasLong("edit") || args.HasLong("list") || args.HasLong("validate"))
        {
            return Unwrapped.None;
        }

        return Unwrapped.Transparent("sudo", words, args.Next);
    }

    private static Unwrapped Env(IReadOnlyList<ShellWord> words)
    {
        var args = ParsedArgs.Parse(words, 1, "uCS", EnvValueOptions, stopAtOperand: true);
        var index = args.Next;
        while (index < words.Count && (words[index].Value == "-" || IsAssignment(words[index].Value)))
        {
            index++;
        }

        // "env -S 'cmd args'" splits its string into the command line.
        var split = args.Value('S') ?? args.LongValue("split-string");
        if (split is not null)
        {
            var rest = string.Join(' ', words.Skip(index).Select(w => w.Value));
            return new Unwrapped(WrapperKind.Transparent, "env -S", [WrappedPart.Shell($"{split} {rest}")]);
        }

        return Unwrapped.Transparent("env", words, index);
    }

    private static bool IsAssignment(string word)
    {
        var equals = word.IndexOf('=', StringComparison.Ordinal);
        return equals > 0 && (char.IsAsciiLetter(word[0]) || word[0] == '_') && word.AsSpan(0, equals).IndexOfAnyExcept(NameCharacters) < 0;
    }

    private static Unwrapped Command(IReadOnlyList<ShellWord> words)
    {
        var args = ParsedArgs.Parse(words, 1, string.Empty, null, stopAtOperand: true);

        // "command -v x" only looks x up.
        return args.HasAny("vV") ? Unwrapped.None : Unwrapped.Transparent("command", words, args.Next);
    }

    private static Unwrapped IoNice(IReadOnlyList<ShellWord> words)
    {
        var args = ParsedArgs.Parse(words, 1, "cn", null, stopAtOperand: true);
        return args.HasAny("pPu") ? Unwrapped.None : Unwrapped.Transparent("ionice", words, args.Next);
    }

    private static Unwrapped Nsenter(IReadOnlyList<ShellWord> words)
    {
        for (var i = 1; i < words.Count; i++)
        {
            if (words[i].Value == "--")
            {
                return Unwrapped.Transparent("nsenter", words, i + 1);
            }
        }

        return Simple("nsenter", words, "tSG", NsenterValueOptions);
    }

    /// <summary>xargs runs its command with arguments read from its input, appended or put in place of the -I string.</summary>
    private static Unwrapped Xargs(IReadOnlyList<ShellWord> words)
    {
        var args = ParsedArgs.Parse(words, 1, "adEILnPs", XargsValueOptions, stopAtOperand: true);
        if (args.Next >= words.Count)
        {
            return Unwrapped.Delegating("xargs");
        }

        var replace = args.Value('I') ?? args.LongValue("replace") ?? (args.Has('i') ? "{}" : null);
        var runtime = replace is null ? RuntimeArguments.Appended : new RuntimeArguments(replace, ParallelTokens: false);
        return Unwrapped.Delegating("xargs", WrappedPart.Command(words.Skip(args.Next).ToArray()) with { RuntimeArguments = runtime });
    }

    /// <summary>
    /// GNU parallel runs its command once per argument: those after ":::" are written out, so each is judged as
    /// given; without them the arguments come from its input at run time.
    /// </summary>
    private static Unwrapped Parallel(IReadOnlyList<ShellWord> words)
    {
        var args = ParsedArgs.Parse(words, 1, "ajSNnLlIdECPX", ParallelValueOptions, stopAtOperand: true);
        var sources = Enumerable.Range(args.Next, Math.Max(0, words.Count - args.Next)).FirstOrDefault(i => words[i].Value is ":::" or "::::" or ":::+", -1);
        var command = words.Skip(args.Next).Take((sources < 0 ? words.Count : sources) - args.Next).ToArray();
        if (command.Length == 0)
        {
            return Unwrapped.Delegating("parallel");
        }

        var runtime = args.Value('I') is { Length: > 0 } replace ? new RuntimeArguments(replace, ParallelTokens: false) : RuntimeArguments.Parallel;
        if (sources < 0 || words[sources].Value == "::::")
        {
            return Unwrapped.Delegating("parallel", WrappedPart.Command(command) with { RuntimeArguments = runtime });
        }

        var values = words.Skip(sources + 1).Where(w => w.Value is not (":::" or ":::+")).ToList();
        return Unwrapped.Delegating("parallel", values.Select(v => WrappedPart.Command(runtime.Apply(command, v.Value))).ToArray());
    }

    /// <summary>"find ... -exec cmd {} ;" runs cmd once per match; "-ok" asks first, but nobody answers over SSH.</summary>
    private static Unwrapped FindExec(IReadOnlyList<ShellWord> words)
    {
        var parts = new List<WrappedPart>();
        for (var i = 1; i < words.Count; i++)
        {
            if (words[i].Value is not ("-exec" or "-execdir" or "-ok" or "-okdir"))
            {
                continue;
            }

            var end = i + 1;
            while (end < words.Count && words[end].Value is not (";" or "+"))
            {
                end++;
            }

            if (end > i + 1)
            {
                parts.Add(WrappedPart.Command(words.Skip(i + 1).Take(end - i - 1).ToArray()));
            }

            i = end;
        }

        return parts.Count == 0 ? Unwrapped.None : Unwrapped.Delegating("find -exec", parts);
    }

    /// <summary>"kubectl exec pod -- cmd" and "kubectl debug node/x -- cmd" run cmd in a container that may see the node.</summary>
    private static Unwrapped KubectlExec(IReadOnlyList<ShellWord> words)
    {
        for (var i = 1; i < words.Count; i++)
        {
            if (words[i].Value != "--")
            {
                continue;
            }

            var runs = words.Take(i).Any(w => w.Value is "exec" or "debug" or "run");
            return runs && i + 1 < words.Count
                ? Unwrapped.Delegating("kubectl exec", WrappedPart.Command(words.Skip(i + 1).ToArray()))
                : Unwrapped.None;
        }

        return Unwrapped.None;
    }
}
