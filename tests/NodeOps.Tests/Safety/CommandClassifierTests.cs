using NodeOps.Safety;

namespace NodeOps.Tests.Safety;

public class CommandClassifierTests
{
    public static TheoryData<string> ReadCommands => ClassifierCorpus.Read;

    public static TheoryData<string> WriteCommands => ClassifierCorpus.Write;

    [Theory]
    [MemberData(nameof(ReadCommands))]
    public void Classify_ReadOnlyCommand_IsRead(string command)
    {
        var result = CommandClassifier.Classify(command);

        Assert.True(result.Access == CommandAccess.Read, $"{result.Reason} ({result.Command})");
        Assert.True(result.IsReadOnly);
        Assert.Null(result.Command);
    }

    [Theory]
    [MemberData(nameof(WriteCommands))]
    public void Classify_CommandThatMayWrite_IsWrite(string command)
    {
        var result = CommandClassifier.Classify(command);

        Assert.Equal(CommandAccess.Write, result.Access);
        Assert.False(string.IsNullOrWhiteSpace(result.Reason));
        Assert.NotNull(result.Command);
    }

    [Fact]
    public void Corpus_HasAtLeastFortyOfEachKind()
    {
        Assert.True(ClassifierCorpus.Read.Count >= 40);
        Assert.True(ClassifierCorpus.Write.Count >= 40);
    }

    [Fact]
    public void Classify_PipelineWithOneWritingStage_NamesThatStage()
    {
        var result = CommandClassifier.Classify("ps aux | grep java | tee /tmp/java.txt | wc -l");

        Assert.Equal(CommandAccess.Write, result.Access);
        Assert.Equal("tee /tmp/java.txt", result.Command);
    }

    [Fact]
    public void Classify_KubectlWithGlobalFlagsBeforeTheVerb_FindsTheVerb()
    {
        Assert.Equal(CommandAccess.Read, CommandClassifier.Classify("kubectl -n kube-system --context=prod get pods").Access);
        Assert.Equal(CommandAccess.Write, CommandClassifier.Classify("kubectl -n get delete pod x").Access);
        Assert.Contains("kubectl delete", CommandClassifier.Classify("kubectl --namespace default delete pod x").Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Classify_SudoOfARead_IsRead_AndSudoOfAWrite_IsWrite()
    {
        Assert.Equal(CommandAccess.Read, CommandClassifier.Classify("sudo -u root cat /etc/shadow").Access);
        Assert.Equal(CommandAccess.Write, CommandClassifier.Classify("sudo -u root tee /etc/shadow").Access);
    }
}
