using NodeOps.Safety.Shell;

namespace NodeOps.Safety.Rules;

/// <summary>
/// The directories whose loss bricks a node, and lexical path normalisation so that "//", "/usr/", "/tmp/../etc"
/// and "/e*" are recognised. Deeper paths ("/var/log/app", "/etc/cni/net.d") are ordinary operations work.
/// </summary>
internal static class SystemPaths
{
    /// <summary>
    /// Top-level system directories, plus a few second-level ones (stricter than "top level only") whose removal
    /// leaves no working binaries, libraries or container state: /usr/bin, /usr/lib, /var/lib and the like.
    /// </summary>
    private static readonly string[][] Protected =
    [
        .. new[]
        {
            "bin", "boot", "dev", "etc", "home", "lib", "lib32", "lib64", "libx32", "media", "mnt", "opt", "proc",
            "root", "run", "sbin", "srv", "sys", "usr", "var",
            "usr/bin", "usr/sbin", "usr/lib", "usr/lib32", "usr/lib64", "usr/libexec", "usr/local", "usr/share", "var/lib",
        }.Select(p => p.Split('/')),
    ];

    /// <summary>
    /// An absolute, lexically normalised path ("/etc"), a home-relative one ("\u0002/x"), or null when the path depends
    /// on something unknown: a variable, or a relative path while the working directory is unknown.
    /// </summary>
    public static string? Normalize(string value, string? workingDirectory)
    {
        if (value.Length == 0 || value.Contains(ShellWord.Unknown, StringComparison.Ordinal))
        {
            return null;
        }

        string path;
        if (value[0] is '/' or ShellWord.Home)
        {
            path = value;
        }
        else if (workingDirectory is null)
        {
            return null;
        }
        else
        {
            path = workingDirectory + "/" + value;
        }

        var home = path[0] == ShellWord.Home;
        var parts = new List<string>();
        foreach (var segment in path[(home ? 1 : 0)..].Split('/'))
        {
            if (segment.Length == 0 || segment == ".")
            {
                continue;
            }

            if (segment != "..")
            {
                parts.Add(segment);
            }
            else if (parts.Count > 0)
            {
                parts.RemoveAt(parts.Count - 1);
            }
            else
            {
                // Above the home directory is /home or, for root, "/": assume the worse.
                home = false;
            }
        }

        return (home ? ShellWord.Home.ToString() : string.Empty) + "/" + string.Join('/', parts);
    }

    public static PathRisk Classify(ShellWord word, string? workingDirectory)
    {
        var worst = PathRisk.None;
        foreach (var candidate in BraceExpansion.Expand(word.Value))
        {
            var risk = ClassifyOne(candidate, workingDirectory);
            if (risk > worst)
            {
                worst = risk;
            }
        }

        return worst;
    }

    private static PathRisk ClassifyOne(string value, string? workingDirectory)
    {
        var normalized = Normalize(value, workingDirectory);
        if (normalized is null)
        {
            return PathRisk.None;
        }

        var home = normalized[0] == ShellWord.Home;
        var parts = normalized[(home ? 1 : 0)..].Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length == 0)
        {
            return PathRisk.SystemDirectory;
        }

        var lastIsEverything = parts[^1].All(c => c == '*');
        if (home)
        {
            return parts.Length == 1 && lastIsEverything ? PathRisk.SystemDirectoryContents : PathRisk.None;
        }

        if (lastIsEverything && (parts.Length == 1 || MatchesProtected(parts[..^1])))
        {
            return PathRisk.SystemDirectoryContents;
        }

        return MatchesProtected(parts) ? PathRisk.SystemDirectory : PathRisk.None;
    }

    /// <summary>True when the path, read as a glob, could name a protected directory ("/e*" could be /etc).</summary>
    private static bool MatchesProtected(string[] parts) =>
        Array.Exists(Protected, p => p.Length == parts.Length && p.Select((name, i) => Glob.IsMatch(parts[i], name)).All(m => m));
}
