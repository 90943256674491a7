using NodeOps.Workflows;

namespace NodeOps.Catalog.BuiltIn;

/// <summary>
/// The content NodeOps ships: playbooks and scripts as embedded files (next to this class, so they can be checked
/// with the real tools), workflows as code. Every item works on Debian/Ubuntu and RHEL-family nodes.
/// </summary>
internal static class BuiltInCatalog
{
    public const string SystemUpgrade = "playbook.system-upgrade";
    public const string SecurityPatches = "playbook.security-patches";
    public const string RestartContainerRuntime = "playbook.restart-container-runtime";
    public const string ConfigureTimeSync = "playbook.configure-time-sync";
    public const string SystemInfo = "script.system-info";
    public const string DiskUsageReport = "script.disk-usage-report";
    public const string CollectLogs = "script.collect-logs";
    public const string PerformanceSnapshot = "script.performance-snapshot";
    public const string NodeMaintenance = "workflow.node-maintenance";
    public const string NodeDiagnosis = "workflow.node-diagnosis";

    public static IReadOnlyList<BuiltInPlaybook> Playbooks { get; } =
    [
        new(SystemUpgrade, "系统升级", "升级节点上的全部软件包 (Debian/Ubuntu: apt; RHEL 系: dnf/yum)，Kubernetes 组件保持原版本；不重启节点，并报告是否需要重启。",
            "system", ["update", "packages"], "system-upgrade.yml"),
        new(SecurityPatches, "安全补丁", "只安装安全更新 (Debian/Ubuntu: unattended-upgrade; RHEL 系: dnf/yum --security)，Kubernetes 组件除外；不重启节点。",
            "security", ["security", "update"], "security-patches.yml"),
        new(RestartContainerRuntime, "重启容器运行时", "重启节点上正在运行或已启用的容器运行时 (containerd、CRI-O 或 Docker)，并等待其恢复 active；没有 systemd 或没有在用运行时的节点会说明原因后结束，不算失败。",
            "runtime", ["containerd", "crio", "docker"], "restart-container-runtime.yml"),
        new(ConfigureTimeSync, "配置时间同步", "安装并启用 chrony；可通过 ntp_servers 指定 NTP 服务器、通过 timezone 设置时区。没有 systemd 的节点会说明原因后结束，不算失败。",
            "configuration", ["ntp", "time", "chrony"], "configure-time-sync.yml"),
    ];

    public static IReadOnlyList<BuiltInScript> Scripts { get; } =
    [
        new(SystemInfo, "系统信息收集", "收集操作系统、内核、CPU、内存、磁盘、网络、软件包与 Kubernetes 组件信息 (只读)。",
            "diagnosis", ["system", "info"], ScriptLanguages.Shell, "system-info.sh", []),
        new(DiskUsageReport, "磁盘使用报告", "文件系统与 inode 使用率、超过阈值的文件系统，以及 SCAN_PATH 下最大的目录 (只读)。",
            "storage", ["disk", "storage"], ScriptLanguages.Shell, "disk-usage-report.sh",
            [
                new ScriptParameter("SCAN_PATH", "要统计的目录", "/var", false),
                new ScriptParameter("TOP", "列出的最大目录数", "10", false),
                new ScriptParameter("THRESHOLD", "告警阈值 (使用率百分比)", "85", false),
            ]),
        new(CollectLogs, "日志收集", "把 kubelet、容器运行时、内核与系统日志打包到 /tmp 下的临时归档 (权限 0600) 并输出其路径。",
            "diagnosis", ["logs", "support"], ScriptLanguages.Shell, "collect-logs.sh",
            [
                new ScriptParameter("SINCE", "journal 起始时间", "24 hours ago", false),
                new ScriptParameter("MAX_LINES", "每个文件保留的最多行数", "5000", false),
            ]),
        new(PerformanceSnapshot, "性能快照", "负载、CPU、内存、PSI、磁盘与网络吞吐，以及最忙的进程 (只读)。",
            "monitoring", ["performance", "cpu", "memory"], ScriptLanguages.Shell, "performance-snapshot.sh",
            [
                new ScriptParameter("SAMPLE_SECONDS", "采样秒数 (1-60)", "2", false),
                new ScriptParameter("TOP", "列出的进程数", "10", false),
            ]),
    ];

    public static IReadOnlyList<BuiltInWorkflow> Workflows { get; } =
    [
        new(NodeMaintenance, "节点维护", "逐个节点安全维护：禁止调度 → 驱逐 → 系统升级 → 重启 → 等待就绪 → 恢复调度。",
            "maintenance", ["maintenance", "upgrade"], id => new WorkflowDefinition(
                Steps:
                [
                    new WorkflowStep("cordon", "禁止调度", "k8s", Action: "cordon", Timeout: 60),
                    new WorkflowStep("drain", "驱逐 Pod", "k8s", DependsOn: ["cordon"], Action: "drain", Timeout: 900),
                    new WorkflowStep("upgrade", "系统升级", "ansible", DependsOn: ["drain"], PlaybookId: id(SystemUpgrade), Timeout: 3600),
                    new WorkflowStep("reboot", "重启节点", "reboot", DependsOn: ["upgrade"], Timeout: 1200),
                    new WorkflowStep("wait_ready", "等待节点就绪", "k8s", DependsOn: ["reboot"], Action: "wait_ready", Timeout: 900),
                    new WorkflowStep("uncordon", "恢复调度", "k8s", DependsOn: ["wait_ready"], Action: "uncordon", Timeout: 60),
                ],
                Strategy: "rolling",
                BatchSize: 1,
                MaxFailPercentage: 0)),
        new(NodeDiagnosis, "节点诊断", "并行收集系统信息、磁盘使用与性能快照，最后打包日志；单个步骤失败不影响其他步骤。",
            "diagnosis", ["diagnosis", "logs"], id => new WorkflowDefinition(
                Steps:
                [
                    new WorkflowStep("system_info", "系统信息", "script", ScriptId: id(SystemInfo), Timeout: 120, ContinueOnError: true),
                    new WorkflowStep("disk_usage", "磁盘使用", "script", ScriptId: id(DiskUsageReport), Timeout: 600, ContinueOnError: true),
                    new WorkflowStep("performance", "性能快照", "script", ScriptId: id(PerformanceSnapshot), Timeout: 120, ContinueOnError: true),
                    new WorkflowStep("collect_logs", "日志收集", "script", DependsOn: ["system_info", "disk_usage", "performance"],
                        ScriptId: id(CollectLogs), Timeout: 600, Condition: "always"),
                ],
                Strategy: "parallel",
                MaxFailPercentage: 100)),
    ];

    public static string Read(string resource)
    {
        using var stream = typeof(BuiltInCatalog).Assembly.GetManifestResourceStream("NodeOps.BuiltIn." + resource)
            ?? throw new InvalidOperationException($"The built-in resource {resource} is not embedded.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
