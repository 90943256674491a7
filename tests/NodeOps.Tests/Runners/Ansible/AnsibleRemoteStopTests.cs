using NodeOps.Runners.Ansible;
using NodeOps.Runners.Ssh;

namespace NodeOps.Tests.Runners.Ansible;

public sealed class AnsibleRemoteStopTests
{
    [Theory]
    [InlineData("")]
    [InlineData("abc; rm -rf /")]
    [InlineData("a'b")]
    [InlineData("tag with space")]
    public void Script_TagThatIsNotLettersAndDigits_IsRefused(string tag) =>
        Assert.Throws<ArgumentException>(() => AnsibleRemoteStop.Script(tag));

    [Fact]
    public void Script_MatchesOnlyTheRunsOwnTagExactly()
    {
        var script = AnsibleRemoteStop.Script("a1b2c3");

        Assert.Contains("tag='LC_NODEOPS_RUN=a1b2c3'", script, StringComparison.Ordinal);
        Assert.Contains("grep -qxF \"$tag\"", script, StringComparison.Ordinal);
    }

    [Fact]
    public void TaggedInterpreter_PutsTheTagInTheModulesEnvironment() =>
        Assert.Equal("/usr/bin/env LC_NODEOPS_RUN=a1b2c3 python3", AnsibleRemoteStop.TaggedInterpreter("a1b2c3"));

    [Theory]
    [InlineData("NODEOPS-STOP remaining=0 root=0\n", false, null)]
    [InlineData("NODEOPS-STOP remaining=0 root=1\n", true, null)]
    [InlineData("NODEOPS-STOP remaining=2 root=0\n", false, "仍有 2 个")]
    [InlineData("NODEOPS-STOP remaining=0 root=0\n", true, "become")]
    [InlineData("something else\n", false, "没有报告")]
    public void Verdict_ConfirmsOnlyAReportedCleanStop(string stdout, bool become, string? expected)
    {
        var verdict = AnsibleRemoteStop.Verdict(new SshRunResult(SshRunOutcome.Exited, 0, stdout, "", false, TimeSpan.Zero, null), become);

        if (expected is null)
        {
            Assert.Null(verdict);
        }
        else
        {
            Assert.Contains(expected, verdict, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Verdict_NodeNotReachedAfterTheStop_IsNotConfirmed()
    {
        var verdict = AnsibleRemoteStop.Verdict(new SshRunResult(SshRunOutcome.ConnectionFailed, null, "", "", false, TimeSpan.Zero, null, "connection refused"), become: false);

        Assert.Contains("无法连接", verdict, StringComparison.Ordinal);
    }

    [Fact]
    public void Command_WithBecome_TriesSudoFirst() =>
        Assert.StartsWith("if sudo -n true", AnsibleRemoteStop.Command("a1b2c3", become: true), StringComparison.Ordinal);
}
