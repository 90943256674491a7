using System.Collections.Frozen;
using NodeOps.Safety.Shell;

namespace NodeOps.Safety.Classification;

/// <summary>System tools with read verbs and write verbs: systemctl, journalctl, ip, crictl, helm and the like.</summary>
internal static class SystemToolAccess
{
    private static readonly FrozenSet<string> SystemctlReadVerbs = Set(
        "status", "show", "cat", "is-active", "is-enabled", "is-failed", "is-system-running", "list-units", "list-unit-files",
        "list-sockets", "list-timers", "list-jobs", "list-dependencies", "list-machines", "list-automounts", "list-paths",
        "get-default", "show-environment", "help");

    private static readonly FrozenSet<string> JournalctlWrites = Set(
        "rotate", "flush", "sync", "relinquish-var", "smart-relinquish-var", "setup-keys", "update-catalog");

    private static readonly FrozenSet<string> IpObjects = Set(
        "addr", "address", "a", "route", "r", "ro", "link", "l", "neigh", "neighbor", "neighbour", "n", "rule", "ru",
        "maddr", "maddress", "m", "netns", "tunnel", "tuntap", "xfrm", "mroute", "monitor", "ntable", "tcp_metrics",
        "token", "netconf", "vrf", "nexthop", "mptcp", "stats", "help");

    private static readonly FrozenSet<string> CrictlReadVerbs = Set(
        "ps", "pods", "images", "image", "img", "inspect", "inspecti", "inspectp", "logs", "stats", "statsp", "info",
        "version", "imagefsinfo", "events", "completion", "help");

    private static readonly FrozenSet<string> HelmReadVerbs = Set(
        "list", "ls", "status", "get", "history", "hist", "show", "inspect", "search", "version", "env", "template", "lint",
        "verify", "help");

    private static readonly FrozenSet<string> StatusVerbs = Set(
        "status", "show", "list", "list-timezones", "timesync-status", "show-timesync", "list-sessions", "list-users",
        "list-seats", "session-status", "user-status", "seat-status", "show-session", "show-user", "show-seat", "lldp",
        "list-keymaps", "list-locales", "label");

    private static readonly string[] CrictlValueOptions = ["runtime-endpoint", "image-endpoint", "timeout", "config"];

    private static readonly string[] HelmValueOptions =
    [
        "namespace", "kube-context", "kubeconfig", "kube-apiserver", "kube-as-user", "kube-as-group", "kube-token",
        "kube-ca-file", "kube-tls-server-name", "registry-config", "repository-cache", "repository-config", "burst-limit", "qps",
    ];

    public static string? Systemctl(SimpleCommand command)
    {
        var (verb, _) = SystemctlArguments.Verb(command.Words);
        return verb is null || SystemctlReadVerbs.Contains(verb)
            ? null
            : ReadOnlyCommands.Because(command, $"{verb} 会改变服务或系统状态", $"{verb} changes a service or the system");
    }

    public static string? Journalctl(SimpleCommand command) =>
        ParsedArgs.Parse(command.Words).LongNames.Any(n => n.StartsWith("vacuum", StringComparison.Ordinal) || JournalctlWrites.Contains(n))
            ? ReadOnlyCommands.Because(command, "会清理或轮转日志", "removes or rotates journal files")
            : null;

    public static string? Dmesg(SimpleCommand command)
    {
        var args = ParsedArgs.Parse(command.Words, 1, "flnsF");
        var writes = args.HasAny("cCnDE") || args.LongNames.Any(n => n is "clear" or "read-clear" or "console-level" or "console-off" or "console-on");
        return writes ? ReadOnlyCommands.Because(command, "会清空缓冲区或改变控制台级别", "clears the buffer or changes the console level") : null;
    }

    /// <summary>"ip [options] OBJECT [show|list|get]" reads; add, del, set, flush, exec and the rest change the network.</summary>
    public static string? Ip(SimpleCommand command)
    {
        var words = command.Words;
        var i = 1;
        while (i < words.Count && words[i].StartsWithOption)
        {
            var option = words[i].Value;
            if (option is "-b" or "-batch" or "-force")
            {
                return ReadOnlyCommands.Because(command, "批处理文件无法判断", "runs a batch file");
            }

            i += option is "-n" or "-netns" or "-f" or "-family" or "-l" or "-loops" or "-rc" or "-rcvbuf" ? 2 : 1;
        }

        if (i >= words.Count)
        {
            return null;
        }

        var action = i + 1 < words.Count ? words[i + 1].Value : null;
        var reads = IpObjects.Contains(words[i].Value)
            && (action is null || IsAbbreviation(action, "show") || IsAbbreviation(action, "list") || action is "lst" or "ls"
                || IsAbbreviation(action, "get") || action == "help" || words[i].Value == "monitor");
        return reads ? null : ReadOnlyCommands.Because(command, "会修改网络配置", "changes the network configuration");
    }

    public static string? Sysctl(SimpleCommand command)
    {
        var args = ParsedArgs.Parse(command.Words);
        var writes = args.HasAny("wp") || args.LongNames.Any(n => n is "write" or "load" or "system")
            || args.Operands.Exists(o => o.Value.Contains('=', StringComparison.Ordinal));
        return writes ? ReadOnlyCommands.Because(command, "会修改内核参数", "changes kernel parameters") : null;
    }

    /// <summary>"mount" alone lists mounts; with a device, a directory or -a it mounts.</summary>
    public static string? Mount(SimpleCommand command)
    {
        var args = ParsedArgs.Parse(command.Words, 1, "tOoLUNT", ["types", "options", "label", "uuid", "namespace", "fstab", "source", "target"]);
        return args.Operands.Count == 0 && !args.Has('a') && !args.HasLong("all")
            ? null
            : ReadOnlyCommands.Because(command, "会挂载文件系统", "mounts file systems");
    }

    public static string? Iptables(SimpleCommand command)
    {
        var args = ParsedArgs.Parse(command.Words, 1, "t", ["table"]);
        var changes = args.HasAny("ADIRFZNXPE") || args.LongNames.Any(n => n is "append" or "delete" or "insert" or "replace"
            or "flush" or "zero" or "new-chain" or "delete-chain" or "policy" or "rename-chain");
        var lists = args.HasAny("LS") || args.HasLong("list") || args.HasLong("list-rules");
        return lists && !changes ? null : ReadOnlyCommands.Because(command, "会修改防火墙规则", "changes firewall rules");
    }

    public static string? IptablesSave(SimpleCommand command)
    {
        var args = ParsedArgs.Parse(command.Words, 1, "tMf", ["table", "modprobe", "file"]);
        return args.Has('f') || args.HasLong("file") ? ReadOnlyCommands.Because(command, "-f 写文件", "-f writes a file") : null;
    }

    public static string? Nft(SimpleCommand command)
    {
        var args = ParsedArgs.Parse(command.Words, 1, "fID", ["file", "includepath", "define"], stopAtOperand: true);
        var reads = !args.Has('f') && !args.HasLong("file") && args.Next < command.Words.Count && command.Words[args.Next].Value is "list" or "describe";
        return reads ? null : ReadOnlyCommands.Because(command, "会修改防火墙规则", "changes firewall rules");
    }

    public static string? Crictl(SimpleCommand command)
    {
        var verb = Verb(command, "ritc", CrictlValueOptions);
        return verb is null || CrictlReadVerbs.Contains(verb)
            ? null
            : ReadOnlyCommands.Because(command, $"{verb} 会修改容器或镜像", $"{verb} changes containers or images");
    }

    public static string? Helm(SimpleCommand command)
    {
        var args = ParsedArgs.Parse(command.Words, 1, "n", HelmValueOptions, stopAtOperand: true);
        var words = command.Words;
        var verb = args.Next < words.Count ? words[args.Next].Value : null;
        var sub = args.Next + 1 < words.Count ? words[args.Next + 1].Value : null;
        var reads = verb is null || HelmReadVerbs.Contains(verb)
            || (verb is "repo" or "plugin" or "dependency" or "dep" && sub is "list" or "ls");
        return reads ? null : ReadOnlyCommands.Because(command, $"{verb} 会修改发布或仓库", $"{verb} changes releases or repositories");
    }

    public static string? Kubeadm(SimpleCommand command)
    {
        var operands = ParsedArgs.Parse(command.Words).Operands.Select(o => o.Value).ToList();
        var first = operands.Count > 0 ? operands[0] : null;
        var second = operands.Count > 1 ? operands[1] : null;
        var reads = first is null or "version" or "help"
            || (first, second) is ("certs", "check-expiration") or ("token", "list") or ("config", "print")
            || (first == "config" && second == "images" && operands.Count > 2 && operands[2] == "list");
        return reads ? null : ReadOnlyCommands.Because(command, "会修改集群节点", "changes the cluster node");
    }

    /// <summary>timedatectl, hostnamectl and friends: no verb or a status verb reads; set-* and the rest write.</summary>
    public static string? StatusTool(SimpleCommand command)
    {
        var verb = Verb(command, "HM", []);
        return verb is null || StatusVerbs.Contains(verb)
            ? null
            : ReadOnlyCommands.Because(command, $"{verb} 会修改系统设置", $"{verb} changes system settings");
    }

    private static string? Verb(SimpleCommand command, string valueFlags, IReadOnlyCollection<string> valueOptions)
    {
        var args = ParsedArgs.Parse(command.Words, 1, valueFlags, valueOptions, stopAtOperand: true);
        return args.Next < command.Words.Count ? command.Words[args.Next].Value : null;
    }

    private static bool IsAbbreviation(string word, string full) => word.Length > 0 && full.StartsWith(word, StringComparison.Ordinal);

    private static FrozenSet<string> Set(params string[] names) => names.ToFrozenSet(StringComparer.Ordinal);
}
