using NodeOps.Runners.Ansible;

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
}
