using System.Collections.Frozen;
using NodeOps.Safety.Shell;

namespace NodeOps.Safety.Rules;

/// <summary>
/// An interpreter reading its program from a pipe fed by a decoder ("base64 -d | sh", "xxd -r -p | bash") or by
/// a download ("curl ... | sh", "wget -O- ... | bash"): the code that runs is hidden from the guard by design,
/// which is exactly how the other rules get bypassed. Any earlier stage of the pipeline counts
/// ("curl ... | gunzip | sh"); a decoder or download whose output is only shown ("echo aGk= | base64 -d") is fine.
/// </summary>
internal static class InterpreterFeedRule
{
    private static readonly FrozenSet<string> Decompressors = new[]
    {
        "gunzip", "zcat", "bunzip2", "bzcat", "unxz", "xzcat", "unlzma", "lzcat", "unzstd", "zstdcat", "uudecode", "rev", "tr",
    }.ToFrozenSet(StringComparer.Ordinal);

    private static readonly FrozenSet<string> Compressors = new[] { "gzip", "bzip2", "xz", "lzma", "zstd" }.ToFrozenSet(StringComparer.Ordinal);

    private static readonly FrozenSet<string> Fetchers = new[]
    {
        "curl", "wget", "fetch", "nc", "ncat", "netcat", "socat", "http", "https", "lwp-request", "GET", "tftp", "dig",
    }.ToFrozenSet(StringComparer.Ordinal);

    private const int MaxWrappers = 16;

    public static bool IsFedDecoded(SimpleCommand command, RuleContext context) => ReadsPipedProgram(command) && Upstream(command).Any(IsDecoder);

    public static bool IsFedFetched(SimpleCommand command, RuleContext context) => ReadsPipedProgram(command) && Upstream(command).Any(c => Fetchers.Contains(c.Name));

    private static bool ReadsPipedProgram(SimpleCommand command) => command.StdinFrom is not null && ShellInvocations.ProgramSource(command).FromStandardInput;

    /// <summary>Every earlier stage of the pipeline, each seen through its wrappers ("sudo curl" is curl).</summary>
    private static IEnumerable<SimpleCommand> Upstream(SimpleCommand command)
    {
        for (var stage = command.StdinFrom; stage is not null; stage = stage.StdinFrom)
        {
            yield return Innermost(stage);
        }
    }

    private static SimpleCommand Innermost(SimpleCommand command)
    {
        for (var i = 0; i < MaxWrappers; i++)
        {
            var unwrapped = CommandWrappers.Unwrap(command);
            if (unwrapped.Kind != WrapperKind.Transparent || unwrapped.Parts is not [{ Words: { Count: > 0 } words }])
            {
                break;
            }

            command = command with { Words = words };
        }

        return command;
    }

    private static bool IsDecoder(SimpleCommand command)
    {
        var name = command.Name;
        var args = command.Arguments.Select(w => w.Value).ToList();
        bool HasFlag(string shortFlags, params string[] longNames) =>
            args.Exists(a => (a.Length > 1 && a[0] == '-' && a[1] != '-' && a.AsSpan(1).IndexOfAny(shortFlags) >= 0) || longNames.Contains(a));

        return name switch
        {
            "base64" or "base32" or "basenc" => HasFlag("dD", "--decode"),
            "xxd" => HasFlag("r", "--revert"),
            "openssl" => args.Contains("-d") || args.Contains("-base64") || args.Contains("-a"),
            "printf" => args.Exists(HasEscapes),
            "echo" => HasFlag("e") && args.Exists(HasEscapes),
            _ when Compressors.Contains(name) => HasFlag("d", "--decompress", "--uncompress"),
            _ => Decompressors.Contains(name),
        };
    }

    /// <summary>"\x72\x6d" or "\162\155": text spelled in escapes so the pipeline's reader cannot see it.</summary>
    private static bool HasEscapes(string text) =>
        text.Contains("\\x", StringComparison.Ordinal) || text.Contains("\\0", StringComparison.Ordinal) || text.Contains("\\u", StringComparison.Ordinal)
        || (text.Contains('\\', StringComparison.Ordinal) && text.Any(char.IsAsciiDigit) && text.Split('\\').Skip(1).Any(p => p.Length >= 3 && p[..3].All(char.IsAsciiDigit)));
}
