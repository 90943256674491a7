using System.Text.RegularExpressions;
using NodeOps.Safety.Shell;

namespace NodeOps.Safety.Classification;

/// <summary>Text and file tools that read unless an option or program makes them write.</summary>
internal static partial class TextToolAccess
{
    private static readonly string[] FindWrites = ["-delete", "-fprint", "-fprint0", "-fprintf", "-fls"];

    private static readonly string[] CurlValueOptions =
    [
        "output", "request", "dump-header", "cookie-jar", "data", "data-raw", "data-binary", "data-urlencode", "form",
        "json", "upload-file", "header", "user-agent", "url", "max-time", "connect-timeout", "config", "write-out",
        "proxy", "cacert", "cert", "key", "resolve", "retry", "user", "cookie", "referer", "output-dir",
    ];

    public static string? Sed(SimpleCommand command)
    {
        var args = ParsedArgs.Parse(command.Words, 1, "efl", ["expression", "file", "line-length"]);
        if (args.Has('i') || args.HasLong("in-place"))
        {
            return ReadOnlyCommands.Because(command, "-i 原地修改文件", "-i edits files in place");
        }

        if (args.Has('f') || args.HasLong("file"))
        {
            return ReadOnlyCommands.Because(command, "脚本来自文件，无法判断", "the script comes from a file");
        }

        var scripts = args.Values('e').Concat(args.LongValues("expression")).ToList();
        if (scripts.Count == 0 && args.Operands.Count > 0)
        {
            scripts.Add(args.Operands[0].Value);
        }

        return scripts.Exists(s => SedWritesOrRuns().IsMatch(s))
            ? ReadOnlyCommands.Because(command, "脚本会写文件或执行命令", "the script writes files or runs commands")
            : null;
    }

    /// <summary>awk is read-only unless its program can run commands or write: system(), "&gt;", pipes to or from commands.</summary>
    public static string? Awk(SimpleCommand command)
    {
        var args = ParsedArgs.Parse(command.Words, 1, "fvFieEl", ["file", "assign", "field-separator", "include", "source", "exec", "load"]);
        if (args.HasAny("fiE") || args.HasLong("file") || args.HasLong("include") || args.HasLong("exec"))
        {
            return ReadOnlyCommands.Because(command, "程序来自文件或原地修改", "the program comes from a file or edits in place");
        }

        var program = args.Value('e') ?? args.LongValue("source") ?? (args.Operands.Count > 0 ? args.Operands[0].Value : string.Empty);
        return AwkWritesOrRuns().IsMatch(program)
            ? ReadOnlyCommands.Because(command, "程序会执行命令或写文件", "the program runs commands or writes files")
            : null;
    }

    public static string? Find(SimpleCommand command) =>
        command.Arguments.Any(w => FindWrites.Contains(w.Value))
            ? ReadOnlyCommands.Because(command, "会删除或写入文件", "deletes or writes files")
            : null;

    public static string? Sort(SimpleCommand command)
    {
        var args = ParsedArgs.Parse(command.Words, 1, "kotST", ["key", "output", "field-separator", "buffer-size", "temporary-directory", "files0-from"]);
        return args.Has('o') || args.HasLong("output") ? ReadOnlyCommands.Because(command, "-o 写文件", "-o writes a file") : null;
    }

    /// <summary>"uniq in out" writes out.</summary>
    public static string? Uniq(SimpleCommand command) =>
        ParsedArgs.Parse(command.Words, 1, "fsw", ["skip-fields", "skip-chars", "check-chars"]).Operands.Count >= 2
            ? ReadOnlyCommands.Because(command, "第二个参数是输出文件", "the second operand is an output file")
            : null;

    public static string? Tee(SimpleCommand command) =>
        ParsedArgs.Parse(command.Words).Operands.Any(o => !AccessRules.IsHarmlessSink(o))
            ? ReadOnlyCommands.Because(command, "写文件", "writes files")
            : null;

    /// <summary>"xxd in out" writes out.</summary>
    public static string? Xxd(SimpleCommand command) =>
        ParsedArgs.Parse(command.Words, 1, "cglsoCn").Operands.Count >= 2
            ? ReadOnlyCommands.Because(command, "第二个参数是输出文件", "the second operand is an output file")
            : null;

    public static string? Yq(SimpleCommand command)
    {
        var args = ParsedArgs.Parse(command.Words, 1, "opI");
        return args.Has('i') || args.HasLong("inplace") ? ReadOnlyCommands.Because(command, "-i 原地修改文件", "-i edits files in place") : null;
    }

    /// <summary>"date +%s" reads the clock; "date -s ..." and "date MMDDhhmm" set it.</summary>
    public static string? Date(SimpleCommand command)
    {
        var args = ParsedArgs.Parse(command.Words, 1, "dfr", ["date", "file", "reference"]);
        var sets = args.Has('s') || args.HasLong("set") || args.Operands.Exists(o => !o.Value.StartsWith('+'));
        return sets ? ReadOnlyCommands.Because(command, "设置系统时间", "sets the clock") : null;
    }

    public static string? Hostname(SimpleCommand command)
    {
        var args = ParsedArgs.Parse(command.Words, 1, "F", ["file"]);
        return args.Has('F') || args.HasLong("file") || args.Operands.Count > 0
            ? ReadOnlyCommands.Because(command, "设置主机名", "sets the host name")
            : null;
    }

    /// <summary>A plain GET is a read; sending data, another method, or saving to a file is not.</summary>
    public static string? Curl(SimpleCommand command)
    {
        var args = ParsedArgs.Parse(command.Words, 1, "AbcCdDeEFHKmoPQrtTuUwxXyYz", CurlValueOptions);
        var asQuery = args.Has('G') || args.HasLong("get");
        var saves = args.Values('o').Concat(args.LongValues("output")).Concat(args.Values('D')).Concat(args.LongValues("dump-header"))
            .Any(path => !AccessRules.IsHarmlessSink(new ShellWord(path)));
        var method = args.Values('X').Concat(args.LongValues("request")).Any(m => !m.Equals("GET", StringComparison.OrdinalIgnoreCase) && !m.Equals("HEAD", StringComparison.OrdinalIgnoreCase));
        var sends = !asQuery && (args.HasAny("dF") || args.LongNames.Any(n => n.StartsWith("data", StringComparison.Ordinal) || n.StartsWith("form", StringComparison.Ordinal) || n == "json"));
        var other = args.HasAny("OTcK") || args.LongNames.Any(n => n.StartsWith("remote-name", StringComparison.Ordinal) || n is "upload-file" or "cookie-jar" or "config" or "output-dir");
        return saves || method || sends || other
            ? ReadOnlyCommands.Because(command, "发送数据、使用非 GET 方法或保存文件", "sends data, uses a method other than GET, or saves a file")
            : null;
    }

    /// <summary>sed's w/W commands and w flag write files; its e command and e flag run commands.</summary>
    [GeneratedRegex(@"(?:^|[;\n{}/\s0-9$])[wWe](?:\s|$|;)")]
    private static partial Regex SedWritesOrRuns();

    [GeneratedRegex(@"system|>|\|\s*""|""\s*\|\s*getline|\|&|\|\s*getline")]
    private static partial Regex AwkWritesOrRuns();
}
