using System.Collections.Frozen;
using NodeOps.Safety.Shell;

namespace NodeOps.Safety.Classification;

/// <summary>
/// The allow-list: commands that only read whatever their arguments, and commands that only read when used a
/// certain way (sed without -i, systemctl status, ip ... show). Anything not listed may write.
/// </summary>
internal static class ReadOnlyCommands
{
    private static readonly FrozenSet<string> AlwaysRead = new[]
    {
        // Files and text.
        "cat", "tac", "nl", "ls", "dir", "vdir", "grep", "egrep", "fgrep", "zgrep", "rg", "zcat", "bzcat", "xzcat", "head",
        "tail", "wc", "cut", "tr", "column", "base64", "base32", "stat", "file", "echo", "printf", "md5sum", "sha1sum",
        "sha224sum", "sha256sum", "sha384sum", "sha512sum", "b2sum", "cksum", "sum", "strings", "hexdump", "od", "diff",
        "cmp", "comm", "fold", "fmt", "paste", "join", "rev", "expand", "unexpand", "seq", "jq", "tree", "less", "more",
        "basename", "dirname", "realpath", "readlink", "pwd", "cal",

        // Processes, users and the system.
        "uptime", "df", "du", "free", "ps", "pgrep", "pidof", "top", "htop", "uname", "id", "whoami", "groups", "who", "w",
        "last", "lastlog", "users", "nproc", "vmstat", "iostat", "mpstat", "pidstat", "getconf", "locale", "arch", "env",
        "printenv", "which", "whereis", "type", "command", "hostid", "getenforce", "sestatus", "numastat", "man", "help",
        "whatis", "apropos",

        // Devices, network and storage.
        "ss", "netstat", "lsblk", "lscpu", "lsmem", "lspci", "lsusb", "lsmod", "lsof", "lsns", "lslocks", "lsipc",
        "findmnt", "blkid", "mountpoint", "lvs", "vgs", "pvs", "lvdisplay", "vgdisplay", "pvdisplay", "ping", "ping6",
        "traceroute", "tracepath", "dig", "nslookup", "host", "getent",

        // Shell builtins that change only the shell's own state.
        "true", "false", ":", "test", "[", "sleep", "cd", "pushd", "popd", "export", "set", "unset", "alias", "shift",
        "wait", "exit", "return", "read", "local", "declare", "typeset", "readonly", "ulimit", "nice", "time",
    }.ToFrozenSet(StringComparer.Ordinal);

    private static readonly FrozenDictionary<string, Func<SimpleCommand, string?>> Conditional =
        new Dictionary<string, Func<SimpleCommand, string?>>
        {
            ["sed"] = TextToolAccess.Sed,
            ["awk"] = TextToolAccess.Awk,
            ["gawk"] = TextToolAccess.Awk,
            ["mawk"] = TextToolAccess.Awk,
            ["nawk"] = TextToolAccess.Awk,
            ["find"] = TextToolAccess.Find,
            ["sort"] = TextToolAccess.Sort,
            ["uniq"] = TextToolAccess.Uniq,
            ["tee"] = TextToolAccess.Tee,
            ["xxd"] = TextToolAccess.Xxd,
            ["yq"] = TextToolAccess.Yq,
            ["date"] = TextToolAccess.Date,
            ["hostname"] = TextToolAccess.Hostname,
            ["curl"] = TextToolAccess.Curl,
            ["systemctl"] = SystemToolAccess.Systemctl,
            ["journalctl"] = SystemToolAccess.Journalctl,
            ["dmesg"] = SystemToolAccess.Dmesg,
            ["ip"] = SystemToolAccess.Ip,
            ["sysctl"] = SystemToolAccess.Sysctl,
            ["mount"] = SystemToolAccess.Mount,
            ["iptables"] = SystemToolAccess.Iptables,
            ["ip6tables"] = SystemToolAccess.Iptables,
            ["iptables-save"] = SystemToolAccess.IptablesSave,
            ["ip6tables-save"] = SystemToolAccess.IptablesSave,
            ["nft"] = SystemToolAccess.Nft,
            ["crictl"] = SystemToolAccess.Crictl,
            ["helm"] = SystemToolAccess.Helm,
            ["kubeadm"] = SystemToolAccess.Kubeadm,
            ["timedatectl"] = SystemToolAccess.StatusTool,
            ["hostnamectl"] = SystemToolAccess.StatusTool,
            ["localectl"] = SystemToolAccess.StatusTool,
            ["loginctl"] = SystemToolAccess.StatusTool,
            ["networkctl"] = SystemToolAccess.StatusTool,
            ["fdisk"] = DiskToolAccess.Fdisk,
            ["sfdisk"] = DiskToolAccess.Sfdisk,
            ["parted"] = DiskToolAccess.Parted,
            ["blockdev"] = DiskToolAccess.Blockdev,
            ["wipefs"] = DiskToolAccess.Wipefs,
            ["ethtool"] = DiskToolAccess.Ethtool,
        }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>Why the command may write, or null when it only reads.</summary>
    public static string? WhyWrite(SimpleCommand command)
    {
        var name = command.Name;
        if (AlwaysRead.Contains(name))
        {
            return null;
        }

        return Conditional.TryGetValue(name, out var check)
            ? check(command)
            : $"{name} 不是已知的只读命令 / is not a known read-only command";
    }

    /// <summary>A reason naming the command and what makes it write.</summary>
    public static string Because(SimpleCommand command, string chinese, string english) => $"{command.Name}: {chinese} / {english}";
}
