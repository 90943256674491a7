using System.Collections.Frozen;
using NodeOps.Safety.Rules;
using NodeOps.Safety.Shell;

namespace NodeOps.Safety.Python;

/// <summary>
/// Best-effort guard for Python: finds calls that run shell commands or touch the file system and judges the
/// literal arguments with the shell rules. Arguments computed at run time are not judged.
/// </summary>
internal static class PythonInspector
{
    /// <summary>Calls whose first argument is a command line (a string) or an argument vector (a list).</summary>
    private static readonly FrozenSet<string> CommandCalls = new[]
    {
        "os.system", "os.popen", "subprocess.run", "subprocess.call", "subprocess.check_call", "subprocess.check_output",
        "subprocess.Popen", "subprocess.getoutput", "subprocess.getstatusoutput", "commands.getoutput",
        "asyncio.create_subprocess_shell", "pty.spawn",
    }.ToFrozenSet(StringComparer.Ordinal);

    /// <summary>Calls whose positional arguments, from the given index, are the argument vector.</summary>
    private static readonly FrozenDictionary<string, int> VectorCalls = new Dictionary<string, int>
    {
        ["os.execl"] = 1, ["os.execlp"] = 1, ["os.execle"] = 1, ["os.execlpe"] = 1, ["asyncio.create_subprocess_exec"] = 0,
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>Calls whose second argument is the argument vector.</summary>
    private static readonly FrozenSet<string> ExecvCalls =
        new[] { "os.execv", "os.execvp", "os.execve", "os.execvpe" }.ToFrozenSet(StringComparer.Ordinal);

    private static readonly FrozenSet<string> PathCalls = new[]
    {
        "shutil.rmtree", "os.removedirs", "shutil.move", "os.rename", "os.renames", "os.replace", "open", "io.open",
    }.ToFrozenSet(StringComparer.Ordinal);

    /// <summary>Every callee the inspector judges; arguments of other calls are never read.</summary>
    private static readonly FrozenSet<string> Inspected =
        CommandCalls.Concat(VectorCalls.Keys).Concat(ExecvCalls).Concat(PathCalls).ToFrozenSet(StringComparer.Ordinal);

    /// <summary>Builtins that run a string as Python code.</summary>
    private static readonly FrozenSet<string> CodeCalls =
        new[] { "exec", "eval", "compile", "builtins.exec", "builtins.eval", "builtins.compile" }.ToFrozenSet(StringComparer.Ordinal);

    /// <summary>Names that turn hidden text into code: base64, hex, compression, rot13, pickled code objects.</summary>
    private static readonly FrozenSet<string> Decoders = new[]
    {
        "b64decode", "b32decode", "b16decode", "b85decode", "a85decode", "urlsafe_b64decode", "standard_b64decode", "decodebytes",
        "decodestring", "unhexlify", "a2b_base64", "a2b_hex", "fromhex", "decompress", "decode", "loads",
    }.ToFrozenSet(StringComparer.Ordinal);

    /// <summary>Names that fetch text from the network.</summary>
    private static readonly FrozenSet<string> Fetchers = new[] { "urlopen", "urlretrieve", "requests", "httpx", "urllib3", "HTTPConnection", "HTTPSConnection", "socket" }
        .ToFrozenSet(StringComparer.Ordinal);

    private const string UnknownInShell = "${__python_value}";

    public static GuardVerdict Check(string source, GuardOptions options, int depth)
    {
        if (depth > ShellParser.MaxDepth)
        {
            return GuardEngine.Block(GuardRuleTable.Get(GuardRuleIds.NestingTooDeep), source);
        }

        var module = new PythonModule(PythonTokenizer.Tokenize(source));
        var tokens = module.Tokens;
        for (var i = 0; i < tokens.Count; i++)
        {
            if (tokens[i].Kind != PythonTokenKind.Name || (i > 0 && tokens[i - 1].IsOperator(".")))
            {
                continue;
            }

            var parts = new List<string> { tokens[i].Text };
            var j = i;
            while (j + 2 < tokens.Count && tokens[j + 1].IsOperator(".") && tokens[j + 2].Kind == PythonTokenKind.Name)
            {
                parts.Add(tokens[j + 2].Text);
                j += 2;
            }

            if (j + 1 >= tokens.Count || !tokens[j + 1].IsOperator("("))
            {
                continue;
            }

            var callee = module.Qualify(parts);
            if (CodeCalls.Contains(callee) && JudgeCode(module, source, tokens[i].Start, j + 1) is { IsBlocked: true } code)
            {
                return code;
            }

            if (!Inspected.Contains(callee) || !module.TryGetArguments(j + 1, out var arguments, out var close))
            {
                continue;
            }

            var call = source[tokens[i].Start..tokens[close].End];
            var verdict = Judge(module, callee, arguments, call, options, depth);
            if (verdict.IsBlocked)
            {
                return verdict;
            }
        }

        return GuardVerdict.Allowed;
    }

    private static GuardVerdict Judge(PythonModule module, string callee, List<PythonArgument> arguments, string call, GuardOptions options, int depth)
    {
        var positional = arguments.Where(a => a.Keyword is null).ToList();
        if (CommandCalls.Contains(callee))
        {
            var command = Argument(positional, 0, arguments, "args") ?? Argument(positional, 0, arguments, "cmd");
            return CheckCommand(module.Evaluate(command), options, depth);
        }

        if (ExecvCalls.Contains(callee))
        {
            return CheckCommand(module.Evaluate(Argument(positional, 1, arguments, "args")), options, depth);
        }

        if (VectorCalls.TryGetValue(callee, out var first))
        {
            var items = positional.Skip(first).Select(a => module.Evaluate(a)?.Text ?? ShellWord.Unknown.ToString()).ToList();
            return items.Count == 0 ? GuardVerdict.Allowed : CheckCommand(new PythonValue(null, items), options, depth);
        }

        return callee switch
        {
            "shutil.rmtree" or "os.removedirs" => JudgePath(module, Argument(positional, 0, arguments, "path"), GuardRuleIds.DeleteSystemPath, call),
            "shutil.move" or "os.rename" or "os.renames" or "os.replace" =>
                JudgePath(module, Argument(positional, 0, arguments, "src"), GuardRuleIds.MoveSystemPath, call),
            "open" or "io.open" => JudgeOpen(module, positional, arguments, call),
            _ => GuardVerdict.Allowed,
        };
    }

    /// <summary>exec(b64decode(...)), eval(zlib.decompress(...)), exec(urlopen(...).read()): code the guard cannot read.</summary>
    private static GuardVerdict JudgeCode(PythonModule module, string source, int start, int open)
    {
        if (!module.TryGetArguments(open, out _, out var close))
        {
            return GuardVerdict.Allowed;
        }

        var names = module.Tokens.Skip(open + 1).Take(close - open - 1).Where(t => t.Kind == PythonTokenKind.Name).Select(t => t.Text).ToList();
        var call = source[start..module.Tokens[close].End];
        if (names.Exists(Fetchers.Contains))
        {
            return GuardEngine.Block(GuardRuleTable.Get(GuardRuleIds.FetchedToInterpreter), call);
        }

        return names.Exists(Decoders.Contains) ? GuardEngine.Block(GuardRuleTable.Get(GuardRuleIds.DecodedToInterpreter), call) : GuardVerdict.Allowed;
    }

    private static PythonArgument? Argument(List<PythonArgument> positional, int index, List<PythonArgument> all, string keyword) =>
        index < positional.Count ? positional[index] : all.Find(a => a.Keyword == keyword);

    /// <summary>
    /// A string is judged as a shell command line even without shell=True: that errs towards blocking, and a
    /// list's items are quoted so they reach the rules as the exact words the program would get.
    /// </summary>
    private static GuardVerdict CheckCommand(PythonValue? value, GuardOptions options, int depth)
    {
        var line = value switch
        {
            { Text: { } text } => text.Replace(ShellWord.Unknown.ToString(), UnknownInShell, StringComparison.Ordinal),
            { Items: { } items } => string.Join(' ', items.Select(Quote)),
            _ => null,
        };
        return line is null ? GuardVerdict.Allowed : GuardEngine.CheckShell(line, options, depth + 1);
    }

    private static string Quote(string item) =>
        item.Contains(ShellWord.Unknown, StringComparison.Ordinal)
            ? UnknownInShell
            : "'" + item.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    private static GuardVerdict JudgePath(PythonModule module, PythonArgument? argument, string ruleId, string call)
    {
        var path = module.Evaluate(argument)?.Text;
        var risky = path is not null && SystemPaths.Classify(new ShellWord(path), null) != PathRisk.None;
        return risky ? GuardEngine.Block(GuardRuleTable.Get(ruleId), call) : GuardVerdict.Allowed;
    }

    /// <summary>open('/dev/sda', 'wb') overwrites a disk; open('/proc/sysrq-trigger', 'w') is sysrq.</summary>
    private static GuardVerdict JudgeOpen(PythonModule module, List<PythonArgument> positional, List<PythonArgument> all, string call)
    {
        var path = module.Evaluate(Argument(positional, 0, all, "file"))?.Text;
        var mode = Argument(positional, 1, all, "mode") is { } m ? module.Evaluate(m)?.Text : "r";
        if (path is null || mode is null || mode.AsSpan().IndexOfAny("wax+") < 0)
        {
            return GuardVerdict.Allowed;
        }

        var context = new RuleContext();
        var word = new ShellWord(path);
        if (context.IsSysrqTrigger(word))
        {
            return GuardEngine.Block(GuardRuleTable.Get(GuardRuleIds.SysrqTrigger), call);
        }

        return context.IsBlockDevice(word) ? GuardEngine.Block(GuardRuleTable.Get(GuardRuleIds.WriteToDevice), call) : GuardVerdict.Allowed;
    }
}
