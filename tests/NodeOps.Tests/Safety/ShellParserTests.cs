using NodeOps.Safety.Shell;

namespace NodeOps.Tests.Safety;

public class ShellParserTests
{
    private static List<string[]> Commands(string text) =>
        ShellParser.Parse(text).Commands.Select(c => c.Words.Select(w => w.ToString()).ToArray()).ToList();

    [Fact]
    public void Parse_Operators_SplitSimpleCommands()
    {
        var commands = Commands("a 1; b && c || d | e & f\ng");

        Assert.Equal(["a", "b", "c", "d", "e", "f", "g"], commands.Select(c => c[0]));
    }

    [Theory]
    [InlineData("'r''m' -rf /", "rm")]
    [InlineData("r\\m x", "rm")]
    [InlineData("\"r\"m x", "rm")]
    [InlineData("$'\\162m' x", "rm")]
    [InlineData("$'\\x72\\u006d' x", "rm")]
    public void Parse_Quoting_IsRemoved(string text, string name)
    {
        Assert.Equal(name, ShellParser.Parse(text).Commands[0].Name);
    }

    [Fact]
    public void Parse_DoubleQuotes_KeepSpacesAndEscapes()
    {
        var words = Commands("echo \"a  b\" 'c \"d\"' \"e\\\"f\" g\\ h")[0];

        Assert.Equal(["echo", "a  b", "c \"d\"", "e\"f", "g h"], words);
    }

    [Fact]
    public void Parse_PathQualifiedBinary_UsesTheBaseName()
    {
        Assert.Equal("mkfs.ext4", ShellParser.Parse("/usr/sbin/mkfs.ext4 /dev/sdb").Commands[0].Name);
    }

    [Fact]
    public void Parse_Substitutions_AreCommandsToo()
    {
        var names = ShellParser.Parse("echo $(date) `hostname` \"$(uname -r)\" <(ls) ${X:-$(id)}").Commands.Select(c => c.Name);

        Assert.Equal(["date", "hostname", "uname", "ls", "id", "echo"], names);
    }

    [Theory]
    [InlineData("ls > out", ">", null, "out")]
    [InlineData("ls >out", ">", null, "out")]
    [InlineData("ls >> out", ">>", null, "out")]
    [InlineData("ls 2> err", ">", 2, "err")]
    [InlineData("ls 2>&1", ">&", 2, "1")]
    [InlineData("ls &> all", "&>", null, "all")]
    [InlineData("ls >| out", ">|", null, "out")]
    [InlineData("cat < in", "<", null, "in")]
    [InlineData("cat x >/dev/sda", ">", null, "/dev/sda")]
    public void Parse_Redirections_AreSeparatedFromWords(string text, string op, int? descriptor, string target)
    {
        var command = ShellParser.Parse(text).Commands[0];
        var redirection = Assert.Single(command.Redirections);

        Assert.Equal(op, redirection.Operator);
        Assert.Equal(descriptor, redirection.Descriptor);
        Assert.Equal(target, redirection.Target.Value);
        Assert.DoesNotContain(command.Words, w => w.Value == target);
    }

    [Fact]
    public void Parse_Assignments_AreNotWords()
    {
        var command = ShellParser.Parse("FOO=1 BAR='a b' cmd x").Commands[0];

        Assert.Equal("cmd", command.Name);
        Assert.Equal(2, command.Words.Count);
    }

    [Fact]
    public void Parse_KnownVariables_AreExpanded_AndUnknownOnesMarked()
    {
        var words = ShellParser.Parse("D=/etc; echo $D ${D}/x $OTHER").Commands[0].Words;

        Assert.Equal("/etc", words[1].Value);
        Assert.Equal("/etc/x", words[2].Value);
        Assert.True(words[3].HasUnknown);
    }

    [Theory]
    [InlineData("sudo -u root -- rm -fr /etc", "rm -fr /etc")]
    [InlineData("sudo -E -n rm x", "rm x")]
    [InlineData("env -i -u HOME X=1 Y=2 rm x", "rm x")]
    [InlineData("nice -n 10 rm x", "rm x")]
    [InlineData("nohup rm x", "rm x")]
    [InlineData("timeout -s KILL 5 rm x", "rm x")]
    [InlineData("xargs -0 -n1 rm x", "rm x")]
    [InlineData("exec rm x", "rm x")]
    [InlineData("command rm x", "rm x")]
    [InlineData("busybox rm x", "rm x")]
    [InlineData("chroot /host rm x", "rm x")]
    [InlineData("nsenter --target 1 --mount -- rm x", "rm x")]
    [InlineData("nsenter -t 1 -m -u rm x", "rm x")]
    [InlineData("bash -c 'rm x'", "rm x")]
    [InlineData("sh -xc \"rm x\"", "rm x")]
    [InlineData("zsh -c 'rm x'", "rm x")]
    [InlineData("dash -c 'rm x'", "rm x")]
    [InlineData("find . -exec rm x {} ;", "rm x {}")]
    public void Parse_Wrappers_ExposeTheWrappedCommand(string text, string inner)
    {
        var commands = ShellParser.Parse(text).Commands;

        Assert.Contains(commands, c => string.Join(' ', c.Words.Select(w => w.Value)) == inner && c.Via is not null);
    }

    [Fact]
    public void Parse_HereDocument_BodyIsDataUnlessFedToAShell()
    {
        var data = ShellParser.Parse("cat <<EOF\nrm -rf /\nEOF\necho done");
        Assert.Equal(["cat", "echo"], data.Commands.Select(c => c.Name));
        Assert.Equal("rm -rf /\n", data.Commands[0].Redirections[0].HereDocument!.Body);

        var code = ShellParser.Parse("sh <<-'EOF'\n\trm -rf /tmp/x\n\tEOF\n");
        Assert.Contains(code.Commands, c => c.Name == "rm" && c.Via == "sh");
    }

    [Fact]
    public void Parse_UnquotedHereDocument_RunsItsSubstitutions()
    {
        var script = ShellParser.Parse("cat <<EOF\n$(rm -rf /tmp/x)\nEOF\n");

        Assert.Contains(script.Commands, c => c.Name == "rm");
    }

    [Fact]
    public void Parse_Comments_AreIgnored()
    {
        Assert.Equal(["echo"], ShellParser.Parse("echo a # rm -rf /\n# rm -rf /").Commands.Select(c => c.Name));
    }

    [Fact]
    public void Parse_Pipeline_LinksStages()
    {
        var commands = ShellParser.Parse("echo x | sh").Commands;

        Assert.True(commands[0].PipesOut);
        Assert.Same(commands[0], commands[1].StdinFrom);
    }

    [Fact]
    public void Parse_FunctionDefinitions_AreRecorded()
    {
        var script = ShellParser.Parse("f() { echo a; }\nfunction g { ls; }\nf; g");

        Assert.Equal(["f", "g"], script.Functions.Select(f => f.Name));
        Assert.Equal("echo", Assert.Single(script.Functions[0].Body).Name);
    }

    [Fact]
    public void Parse_ControlFlow_YieldsOnlyTheCommandsInside()
    {
        var names = ShellParser.Parse("if [ -f x ]; then cat x; elif true; then :; else ls; fi; while read l; do echo $l; done < f; for i in a b; do id; done")
            .Commands.Select(c => c.Name).Where(n => n.Length > 0);

        Assert.Equal(["[", "cat", "true", ":", "ls", "read", "echo", "id"], names);
    }

    [Fact]
    public void Parse_UnterminatedQuote_IsFlaggedWithTheHiddenText()
    {
        var script = ShellParser.Parse("echo 'a; rm -rf /");

        Assert.True(script.Incomplete);
        Assert.Equal("a; rm -rf /", script.UnterminatedText);
    }

    [Fact]
    public void Parse_PythonDashC_IsCollected()
    {
        Assert.Equal(["print(1)"], ShellParser.Parse("python3 -c 'print(1)'").PythonSources);
    }
}
