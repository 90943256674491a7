using NodeOps.Errors;
using NodeOps.Safety;

namespace NodeOps.Tests.Safety;

public class DangerousCommandGuardTests
{
    public static TheoryData<string, string> Destructive => GuardCorpus.Destructive;

    public static TheoryData<string> Benign => GuardCorpus.Benign;

    [Theory]
    [MemberData(nameof(Destructive))]
    public void Check_DestructiveCommand_IsBlockedByTheExpectedRule(string command, string ruleId)
    {
        var verdict = DangerousCommandGuard.Check(command, GuardOptions.Default);

        Assert.True(verdict.IsBlocked, $"not blocked: {command}");
        Assert.Equal(ruleId, verdict.RuleId);
        Assert.False(string.IsNullOrWhiteSpace(verdict.Command));
    }

    [Theory]
    [MemberData(nameof(Benign))]
    public void Check_OrdinaryCommand_IsAllowed(string command)
    {
        var verdict = DangerousCommandGuard.Check(command, GuardOptions.Default);

        Assert.False(verdict.IsBlocked, $"blocked by {verdict.RuleId}: {verdict.Command}");
        Assert.Equal(GuardVerdict.Allowed, verdict);
    }

    [Fact]
    public void Corpus_HasAtLeastSixtyOfEachKind()
    {
        Assert.True(GuardCorpus.Destructive.Count >= 60);
        Assert.True(GuardCorpus.Benign.Count >= 60);
    }

    [Theory]
    [InlineData("reboot")]
    [InlineData("shutdown -h now")]
    [InlineData("init 6")]
    [InlineData("telinit 0")]
    [InlineData("systemctl poweroff")]
    [InlineData("sudo systemctl reboot")]
    [InlineData("kexec -e")]
    public void Check_PowerActionWhenAllowed_IsAllowed(string command)
    {
        var options = new GuardOptions { AllowPowerActions = true };

        Assert.False(DangerousCommandGuard.Check(command, options).IsBlocked);
        Assert.Equal(GuardRuleIds.PowerAction, DangerousCommandGuard.Check(command).RuleId);
    }

    [Fact]
    public void Check_SysrqWhenPowerActionsAllowed_IsStillBlocked()
    {
        var verdict = DangerousCommandGuard.Check("echo o > /proc/sysrq-trigger", new GuardOptions { AllowPowerActions = true });

        Assert.Equal(GuardRuleIds.SysrqTrigger, verdict.RuleId);
    }

    [Fact]
    public void Check_OtherRulesWhenPowerActionsAllowed_StillBlock()
    {
        var verdict = DangerousCommandGuard.Check("reboot; rm -rf /", new GuardOptions { AllowPowerActions = true });

        Assert.Equal(GuardRuleIds.DeleteSystemPath, verdict.RuleId);
        Assert.Equal("rm -rf /", verdict.Command);
    }

    [Fact]
    public void Check_BlockedCommand_NamesTheOffendingSimpleCommand()
    {
        var verdict = DangerousCommandGuard.Check("uptime && sudo rm -rf /etc; df -h");

        Assert.Equal("sudo rm -rf /etc", verdict.Command);
        Assert.Equal("危险命令已拦截: 删除根目录或系统目录 / delete of / or a system directory [delete-system-path]: sudo rm -rf /etc", verdict.Error);
    }

    [Fact]
    public void Check_ForkBomb_NamesTheFunction()
    {
        var verdict = DangerousCommandGuard.Check(":(){ :|:& };:");

        Assert.Equal(":(){ :|:& }", verdict.Command);
    }

    [Fact]
    public void Check_NestingBeyondTheLimit_IsBlocked()
    {
        var command = "echo hi";
        for (var i = 0; i < 12; i++)
        {
            command = $"echo $({command})";
        }

        var verdict = DangerousCommandGuard.Check(command);

        Assert.Equal(GuardRuleIds.NestingTooDeep, verdict.RuleId);
    }

    [Fact]
    public void Check_NestingWithinTheLimit_IsAllowed()
    {
        Assert.False(DangerousCommandGuard.Check("echo $(echo $(echo $(date)))").IsBlocked);
        Assert.False(DangerousCommandGuard.Check("bash -c \"sh -c 'echo hi'\"").IsBlocked);
    }

    [Fact]
    public void Check_HostileInput_IsJudgedWithoutThrowing()
    {
        var deep = string.Concat(Enumerable.Repeat("( ", 5000)) + "rm -rf /" + string.Concat(Enumerable.Repeat(" )", 5000));
        var dollars = string.Concat(Enumerable.Repeat("$(", 5000));
        var braces = string.Concat(Enumerable.Repeat("${a:-", 5000));
        var sudo = string.Concat(Enumerable.Repeat("sudo ", 5000)) + "ls";
        var functions = string.Concat(Enumerable.Repeat("f() { ls; ", 5000));
        var python = string.Concat(Enumerable.Repeat("os.system(", 5000)) + string.Concat(Enumerable.Repeat("f'{", 5000));

        Assert.Equal(GuardRuleIds.NestingTooDeep, DangerousCommandGuard.Check(deep).RuleId);
        Assert.Equal(GuardRuleIds.NestingTooDeep, DangerousCommandGuard.Check(dollars).RuleId);
        Assert.Equal(GuardRuleIds.NestingTooDeep, DangerousCommandGuard.Check(braces).RuleId);
        Assert.Equal(GuardRuleIds.NestingTooDeep, DangerousCommandGuard.Check(sudo).RuleId);
        Assert.Equal(GuardRuleIds.NestingTooDeep, DangerousCommandGuard.Check(functions).RuleId);
        Assert.False(DangerousCommandGuard.CheckPython(python).IsBlocked);
    }

    [Fact]
    public void Check_DoubleParenthesis_FollowsBashBetweenArithmeticAndSubshells()
    {
        Assert.Equal(GuardRuleIds.DeleteSystemPath, DangerousCommandGuard.Check("((rm -rf /) )").RuleId);
        Assert.Equal(GuardRuleIds.DeleteSystemPath, DangerousCommandGuard.Check("echo $((rm -rf /) )").RuleId);
        Assert.False(DangerousCommandGuard.Check("(( i > 5 )) && echo big").IsBlocked);
        Assert.False(DangerousCommandGuard.Check("echo $(( 1 + 2 )) > /tmp/sum").IsBlocked);
    }

    [Fact]
    public void Check_UnterminatedQuoteHidingNothing_IsAllowed()
    {
        Assert.False(DangerousCommandGuard.Check("echo \"hello").IsBlocked);
    }

    [Fact]
    public void CheckScript_ShellScript_IsCheckedLineByLine()
    {
        const string script = """
            #!/bin/bash
            set -euo pipefail
            # clean up old logs
            find /var/log/app -name '*.gz' -mtime +7 -delete
            systemctl restart kubelet
            cat > /etc/motd <<'EOF'
            maintenance: do not rm -rf / here
            EOF
            """;

        Assert.False(DangerousCommandGuard.CheckScript(script, ScriptLanguage.Shell).IsBlocked);

        var verdict = DangerousCommandGuard.CheckScript(script + "\nDISK=/dev/sdb\nwipefs -a $DISK\n", ScriptLanguage.Shell);
        Assert.Equal(GuardRuleIds.WipeDevice, verdict.RuleId);
        Assert.Equal("wipefs -a $DISK", verdict.Command);
    }

    [Fact]
    public void CheckScript_Python_UsesThePythonCheck()
    {
        var verdict = DangerousCommandGuard.CheckScript("import os\nos.system('mkfs.ext4 /dev/sdb')\n", ScriptLanguage.Python);

        Assert.Equal(GuardRuleIds.FormatDevice, verdict.RuleId);
    }

    [Fact]
    public void EnsureAllowed_BlockedCommand_ThrowsValidationErrorForThe422Envelope()
    {
        var error = Assert.Throws<NodeOpsException>(() => DangerousCommandGuard.EnsureAllowed("sudo rm -rf /"));

        Assert.Equal(ErrorKind.Validation, error.Kind);
        Assert.Equal("命令验证失败", error.Title);
        Assert.Equal("DANGEROUS_COMMAND", error.Code);
        Assert.StartsWith("危险命令已拦截: ", error.Message, StringComparison.Ordinal);
        Assert.Contains("delete-system-path", error.Message, StringComparison.Ordinal);
        Assert.Contains("sudo rm -rf /", error.Message, StringComparison.Ordinal);
        Assert.Equal(GuardRuleIds.DeleteSystemPath, error.Context!["rule"]);
    }

    [Fact]
    public void EnsureAllowed_OrdinaryCommand_DoesNotThrow()
    {
        DangerousCommandGuard.EnsureAllowed("systemctl restart kubelet");
        DangerousCommandGuard.EnsureScriptAllowed("print('hi')", ScriptLanguage.Python);
    }

    [Fact]
    public void EnsureAllowed_PowerActionWithPermission_DoesNotThrow()
    {
        DangerousCommandGuard.EnsureAllowed("reboot", new GuardOptions { AllowPowerActions = true });
        Assert.Throws<NodeOpsException>(() => DangerousCommandGuard.EnsureAllowed("reboot"));
    }
}
