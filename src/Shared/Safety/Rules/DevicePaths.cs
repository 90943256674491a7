using System.Collections.Frozen;
using System.Text.RegularExpressions;
using NodeOps.Safety.Shell;

namespace NodeOps.Safety.Rules;

/// <summary>
/// Recognises block devices and raw memory by path: writing to them destroys file systems or crashes the node.
/// /dev/null, /dev/zero, terminals and the like are not devices in this sense.
/// </summary>
internal static partial class DevicePaths
{
    private static readonly string[] Stems = ["sd", "hd", "vd", "xvd", "nvme", "mmcblk", "dm-", "md", "loop", "nbd", "rbd", "zd", "drbd", "bcache"];

    private static readonly FrozenSet<string> RawMemory = new[] { "mem", "kmem", "port", "root" }.ToFrozenSet(StringComparer.Ordinal);

    /// <summary>Directories under /dev that hold no block devices; any other /dev/X/Y is taken for LVM's /dev/VG/LV.</summary>
    private static readonly FrozenSet<string> NonBlockDirectories = new[]
    {
        "pts", "shm", "fd", "net", "snd", "input", "bus", "char", "cpu", "dri", "hugepages", "mqueue", "usb", "vfio",
        "serial", "v4l", "dma_heap", "bsg", "hidraw", "raw", "tpm", "vhost-net", "infiniband", "vsock",
    }.ToFrozenSet(StringComparer.Ordinal);

    public static bool IsBlockDevice(ShellWord word, string? workingDirectory) =>
        BraceExpansion.Expand(word.Value).Any(candidate => IsBlockDevice(candidate, workingDirectory));

    private static bool IsBlockDevice(string value, string? workingDirectory)
    {
        if (value.Contains(ShellWord.Unknown, StringComparison.Ordinal))
        {
            // "/dev/$DISK" is a device chosen at run time: assume the worst.
            return value.StartsWith("/dev/", StringComparison.Ordinal);
        }

        var path = SystemPaths.Normalize(value, workingDirectory);
        if (path is null || !path.StartsWith("/dev/", StringComparison.Ordinal))
        {
            return false;
        }

        var parts = path["/dev/".Length..].Split('/');
        if (parts.Length == 1)
        {
            return IsDeviceName(parts[0]);
        }

        return parts[0] switch
        {
            "mapper" => parts[1] != "control",
            "disk" or "block" or "md" => true,
            var directory when Glob.HasWildcard(directory) => true,
            var directory => !NonBlockDirectories.Contains(directory),
        };
    }

    private static bool IsDeviceName(string name)
    {
        if (RawMemory.Contains(name))
        {
            return true;
        }

        if (!Glob.HasWildcard(name))
        {
            return DeviceName().IsMatch(name);
        }

        var literal = name[..name.AsSpan().IndexOfAny("*?[")];
        return Array.Exists(Stems, stem => stem.StartsWith(literal, StringComparison.Ordinal) || literal.StartsWith(stem, StringComparison.Ordinal));
    }

    [GeneratedRegex(@"^(?:(?:sd|hd|vd|xvd)[a-z]+[0-9]*|(?:nvme|mmcblk|dm-|md|loop|nbd|rbd|zd|drbd|bcache)[0-9].*)$")]
    private static partial Regex DeviceName();
}
