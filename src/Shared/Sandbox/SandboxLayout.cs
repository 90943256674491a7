namespace NodeOps.Sandbox;

/// <summary>
/// The filesystem a sandboxed program sees: the system's programs and libraries read-only, the few /etc files that
/// name resolution, users and TLS need, fresh /proc, /dev and /tmp of its own, and its one writable folder. The
/// data folder, keys, other runs' folders, the server's /proc and the rest of /etc are simply not there.
/// </summary>
internal static class SandboxLayout
{
    // Merged-/usr systems have these as links into /usr; older ones have real folders.
    private static readonly string[] TopLevelSystemFolders = ["bin", "sbin", "lib", "lib32", "lib64", "libx32"];

    private static readonly string[] EtcEntries =
    [
        "passwd", "group", "hosts", "resolv.conf", "nsswitch.conf", "host.conf", "gai.conf", "services", "protocols",
        "localtime", "ld.so.cache", "ld.so.conf", "ld.so.conf.d", "ssl", "ca-certificates", "alternatives", "mime.types",
    ];

    public static IEnumerable<string> Arguments(SandboxRequest request, SandboxOptions options)
    {
        yield return "--unshare-all";
        // Runs reach their nodes and API servers over the network; everything else is unshared.
        yield return "--share-net";
        yield return "--die-with-parent";
        yield return "--uid";
        yield return options.UserId.ToString(System.Globalization.CultureInfo.InvariantCulture);
        yield return "--gid";
        yield return options.GroupId.ToString(System.Globalization.CultureInfo.InvariantCulture);
        yield return "--hostname";
        yield return "nodeops-sandbox";
        yield return "--cap-drop";
        yield return "ALL";
        foreach (var argument in Bind("--ro-bind", "/usr"))
        {
            yield return argument;
        }

        foreach (var name in TopLevelSystemFolders)
        {
            var path = "/" + name;
            var info = new DirectoryInfo(path);
            if (info.LinkTarget is { } target)
            {
                yield return "--symlink";
                yield return target;
                yield return path;
            }
            else if (info.Exists)
            {
                foreach (var argument in Bind("--ro-bind", path))
                {
                    yield return argument;
                }
            }
        }

        foreach (var entry in EtcEntries)
        {
            foreach (var argument in Bind("--ro-bind-try", "/etc/" + entry))
            {
                yield return argument;
            }
        }

        yield return "--proc";
        yield return "/proc";
        yield return "--dev";
        yield return "/dev";
        yield return "--tmpfs";
        yield return "/tmp";
        foreach (var folder in request.ReadOnlyFolders.Where(f => !IsUnder(f, "/usr")))
        {
            foreach (var argument in Bind("--ro-bind", folder))
            {
                yield return argument;
            }
        }

        foreach (var argument in Bind("--bind", request.WritableFolder))
        {
            yield return argument;
        }

        yield return "--chdir";
        yield return request.WritableFolder;
    }

    /// <summary>
    /// The folder a program outside the system's folders needs to be readable: its own, or a virtual environment's
    /// root for a bin/ folder. Null for programs the layout already shows (/usr, and /bin and the like).
    /// </summary>
    public static string? ProgramFolder(string fileName)
    {
        var full = Path.GetFullPath(fileName);
        // A link (e.g. /usr/local/bin/kubectl -> /opt/kubectl/kubectl) needs its target's folder.
        var target = File.Exists(full) ? new FileInfo(full).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? full : full;
        var folder = Path.GetDirectoryName(target);
        if (folder is null || IsSystemFolder(folder))
        {
            return null;
        }

        var parent = Path.GetDirectoryName(folder);
        return Path.GetFileName(folder) == "bin" && parent is not null && parent != "/" ? parent : folder;
    }

    private static bool IsSystemFolder(string folder) =>
        IsUnder(folder, "/usr") || TopLevelSystemFolders.Any(name => IsUnder(folder, "/" + name));

    private static string[] Bind(string option, string path) => [option, path, path];

    private static bool IsUnder(string path, string folder) =>
        path == folder || path.StartsWith(folder + "/", StringComparison.Ordinal);
}
