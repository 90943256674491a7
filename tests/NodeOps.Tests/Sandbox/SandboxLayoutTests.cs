using NodeOps.Sandbox;

namespace NodeOps.Tests.Sandbox;

public sealed class SandboxLayoutTests
{
    [Theory]
    [InlineData("/bin/bash")]
    [InlineData("/usr/bin/kubectl")]
    [InlineData("/usr/local/bin/ansible-playbook")]
    [InlineData("/sbin/ip")]
    public void ProgramFolder_ForSystemPrograms_AddsNothing(string program) =>
        Assert.Null(SandboxLayout.ProgramFolder(program));

    [Theory]
    [InlineData("/opt/venv/bin/ansible-playbook", "/opt/venv")]
    [InlineData("/opt/tools/kubectl", "/opt/tools")]
    public void ProgramFolder_OutsideTheSystem_IsTheProgramsOwnTree(string program, string expected) =>
        Assert.Equal(expected, SandboxLayout.ProgramFolder(program));

    [Fact]
    public void Arguments_NeverBindTheWholeFilesystem()
    {
        var arguments = SandboxLayout.Arguments(new SandboxRequest("/bin/bash", [], "/tmp/x") { ReadOnlyFolders = ["/opt/venv"] }, new SandboxOptions()).ToList();

        for (var i = 0; i + 2 < arguments.Count; i++)
        {
            if (arguments[i] is "--bind" or "--ro-bind" or "--ro-bind-try")
            {
                Assert.NotEqual("/", arguments[i + 1]);
            }
        }

        Assert.Contains("--unshare-all", arguments);
        Assert.Equal("/tmp/x", arguments[arguments.IndexOf("--chdir") + 1]);
    }
}
