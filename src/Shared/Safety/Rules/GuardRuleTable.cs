namespace NodeOps.Safety.Rules;

/// <summary>Every rule of the guard, in the order they are tried. Add a rule here and nowhere else.</summary>
internal static class GuardRuleTable
{
    public static IReadOnlyList<GuardRule> All { get; } =
    [
        new(GuardRuleIds.NestingTooDeep, "命令嵌套过深，无法判断 / commands nested too deeply to be judged")
        {
            FindInScript = script => script.TooDeep ? script.Text : null,
        },
        new(GuardRuleIds.ForkBomb, "fork 炸弹 / fork bomb") { FindInScript = ForkBombRule.Find },
        new(GuardRuleIds.SysrqTrigger, "写入 /proc/sysrq-trigger / write to /proc/sysrq-trigger") { MatchesCommand = SysrqRule.Matches },
        new(GuardRuleIds.DeleteSystemPath, "删除根目录或系统目录 / delete of / or a system directory") { MatchesCommand = DeleteRule.Matches },
        new(GuardRuleIds.RecursivePermissionChange, "递归修改系统目录权限或属主 / recursive chmod/chown of / or a system directory")
        {
            MatchesCommand = PermissionRule.Matches,
        },
        new(GuardRuleIds.MoveSystemPath, "移动根目录或系统目录 / move of / or a system directory") { MatchesCommand = MoveRule.Matches },
        new(GuardRuleIds.FormatDevice, "格式化磁盘设备 / formatting a device") { MatchesCommand = FormatRule.Matches },
        new(GuardRuleIds.DdToDevice, "dd 写入块设备 / dd onto a block device") { MatchesCommand = DdRule.Matches },
        new(GuardRuleIds.WriteToDevice, "写入块设备 / writing onto a block device") { MatchesCommand = DeviceWriteRule.Matches },
        new(GuardRuleIds.WipeDevice, "擦除磁盘设备 / wiping a device") { MatchesCommand = WipeRule.Matches },
        new(GuardRuleIds.PartitionDevice, "修改磁盘分区表 / changing a device's partition table") { MatchesCommand = PartitionRule.Matches },
        new(GuardRuleIds.PowerAction, "关机或重启节点 / powering off or restarting the node", IsPowerAction: true)
        {
            MatchesCommand = PowerRule.Matches,
        },
        new(GuardRuleIds.DecodedToInterpreter, "解码后的内容交给解释器执行 / decoded text fed to an interpreter") { MatchesCommand = InterpreterFeedRule.IsFedDecoded },
        new(GuardRuleIds.FetchedToInterpreter, "下载的内容交给解释器执行 / downloaded text fed to an interpreter") { MatchesCommand = InterpreterFeedRule.IsFedFetched },
        new(GuardRuleIds.GeneratedCode, "执行运行时才生成的代码，无法判断 / running code that only exists at run time")
        {
            FindInScript = GeneratedCodeRule.Find,
            MatchesCommand = GeneratedCodeRule.Matches,
        },

        // Last: it judges the command again with every rule above, with the worst arguments it could be given.
        new(GuardRuleIds.DestructiveRuntimeArguments, "参数在运行时由 xargs/parallel 提供的破坏性命令 / destructive command with run-time arguments (xargs, parallel)")
        {
            MatchesCommand = RuntimeArgumentsRule.Matches,
        },
    ];

    public static GuardRule Get(string id) => All.First(r => r.Id == id);
}
