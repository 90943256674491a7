using System.Collections.Frozen;

namespace NodeOps.Safety.Shell;

/// <summary>Finds systemctl's verb behind its options ("systemctl --no-block -H host reboot").</summary>
internal static class SystemctlArguments
{
    private const string ValueFlags = "tpPnosHM";

    private static readonly FrozenSet<string> ValueOptions = new[]
    {
        "type", "property", "lines", "output", "signal", "state", "kill-whom", "kill-value", "root", "image", "job-mode",
        "what", "host", "machine", "timestamp", "message", "boot-loader-menu", "boot-loader-entry", "reboot-argument",
        "drop-in", "when", "preset-mode", "image-policy", "marked",
    }.ToFrozenSet(StringComparer.Ordinal);

    /// <summary>The verb and its index, or null and the word count when there is none ("systemctl" alone lists units).</summary>
    public static (string? Verb, int Index) Verb(IReadOnlyList<ShellWord> words)
    {
        for (var i = 1; i < words.Count; i++)
        {
            var word = words[i].Value;
            if (word.StartsWith("--", StringComparison.Ordinal))
            {
                if (!word.Contains('=', StringComparison.Ordinal) && ValueOptions.Contains(word[2..]))
                {
                    i++;
                }

                continue;
            }

            if (word.Length > 1 && word[0] == '-')
            {
                for (var k = 1; k < word.Length; k++)
                {
                    if (ValueFlags.Contains(word[k], StringComparison.Ordinal))
                    {
                        if (k == word.Length - 1)
                        {
                            i++;
                        }

                        break;
                    }
                }

                continue;
            }

            return (word, i);
        }

        return (null, words.Count);
    }
}
