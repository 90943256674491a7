using NodeOps.Errors;
using NodeOps.Runners.Ansible;

namespace NodeOps.Tests.Runners.Ansible;

public sealed class AnsibleArgumentsTests
{
    [Theory]
    [InlineData("", new string[0])]
    [InlineData("--check", new[] { "--check" })]
    [InlineData("-C -D", new[] { "--check", "--diff" })]
    [InlineData("--diff --check", new[] { "--check", "--diff" })]
    [InlineData("--tags a,b --tags c", new[] { "--tags=a,b,c" })]
    [InlineData("-t web", new[] { "--tags=web" })]
    [InlineData("--skip-tags=slow,net", new[] { "--skip-tags=slow,net" })]
    [InlineData("--limit node1", new[] { "--limit=node1" })]
    [InlineData("-l 'node*:!node2'", new[] { "--limit=node*:!node2" })]
    [InlineData("--start-at-task \"Install packages\"", new[] { "--start-at-task=Install packages" })]
    [InlineData("--start-at-task='Say \"hi\"'", new[] { "--start-at-task=Say \"hi\"" })]
    [InlineData("-v", new[] { "-v" })]
    [InlineData("-v -vv", new[] { "-vvv" })]
    [InlineData("-vvv --check", new[] { "--check", "-vvv" })]
    [InlineData("--verbose", new[] { "-v" })]
    public void Parse_AllowedOptions_RebuildsACleanCommandLine(string text, string[] expected)
    {
        Assert.Equal(expected, AnsibleArguments.Parse(text).ToCommandLine());
    }

    [Theory]
    [InlineData("--inventory /etc/hosts", "--inventory")]
    [InlineData("-i hosts", "-i")]
    [InlineData("-e @/etc/passwd", "-e")]
    [InlineData("--extra-vars=x=1", "--extra-vars=x=1")]
    [InlineData("--ssh-common-args '-o StrictHostKeyChecking=no'", "--ssh-common-args")]
    [InlineData("--ssh-extra-args=-oX", "--ssh-extra-args=-oX")]
    [InlineData("--private-key /root/.ssh/id_rsa", "--private-key")]
    [InlineData("-u root", "-u")]
    [InlineData("--become-method su", "--become-method")]
    [InlineData("--vault-password-file f", "--vault-password-file")]
    [InlineData("--module-path /tmp", "--module-path")]
    [InlineData("-M /tmp", "-M")]
    [InlineData("--connection=local", "--connection=local")]
    [InlineData("-c local", "-c")]
    [InlineData("--forks 500", "--forks")]
    [InlineData("-vvvv", "-vvvv")]
    [InlineData("--check=yes", "--check=yes")]
    [InlineData("playbook.yml", "playbook.yml")]
    [InlineData("--check; rm -rf /", "--check;")]
    [InlineData("$(id)", "$(id)")]
    public void Parse_AnythingElse_IsRefusedNamingTheArgument(string text, string named)
    {
        var error = Assert.Throws<NodeOpsException>(() => AnsibleArguments.Parse(text));

        Assert.Equal(ErrorKind.BadRequest, error.Kind);
        Assert.Equal("extra_args", error.Field);
        Assert.Contains(named, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--tags")]
    [InlineData("--tags --check")]
    [InlineData("--tags '{{ x }}'")]
    [InlineData("--tags a,,b")]
    [InlineData("--limit a --limit b")]
    [InlineData("-v -v -v -v")]
    [InlineData("--check 'unterminated")]
    [InlineData("--start-at-task \"a\nb\"")]
    public void Parse_MalformedValues_AreRefused(string text)
    {
        var error = Assert.Throws<NodeOpsException>(() => AnsibleArguments.Parse(text));

        Assert.Equal("extra_args", error.Field);
    }
}
