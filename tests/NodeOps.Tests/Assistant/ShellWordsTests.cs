using NodeOps.Assistant;

namespace NodeOps.Tests.Assistant;

public sealed class ShellWordsTests
{
    [Theory]
    [InlineData("kubectl get pods", new[] { "kubectl", "get", "pods" })]
    [InlineData("kubectl get pods -o 'jsonpath={.items[*].metadata.name}'", new[] { "kubectl", "get", "pods", "-o", "jsonpath={.items[*].metadata.name}" })]
    [InlineData("kubectl label node n1 \"team=a b\"", new[] { "kubectl", "label", "node", "n1", "team=a b" })]
    [InlineData("a\\ b  c", new[] { "a b", "c" })]
    [InlineData("x ''", new[] { "x", "" })]
    public void Split_QuotesAndEscapes_GiveTheWords(string line, string[] expected)
    {
        var result = ShellWords.Split(line);

        Assert.Equal(expected, result.Words);
        Assert.Null(result.Operator);
        Assert.False(result.Unterminated);
    }

    [Theory]
    [InlineData("kubectl get pods | grep web", "|")]
    [InlineData("kubectl get pods; rm -rf /", ";")]
    [InlineData("kubectl get pods > out", ">")]
    [InlineData("kubectl get pods && echo", "&")]
    [InlineData("kubectl get pods $(whoami)", "$")]
    [InlineData("kubectl get pods `id`", "`")]
    [InlineData("kubectl get \"$HOME\"", "$")]
    public void Split_ShellOperators_AreReported(string line, string op)
    {
        Assert.Equal(op, ShellWords.Split(line).Operator);
    }

    [Fact]
    public void Split_QuotedOperators_AreLiteral()
    {
        var result = ShellWords.Split("kubectl get pods -l 'app in (a,b)' -o 'jsonpath={.a|b}'");

        Assert.Null(result.Operator);
        Assert.Equal("app in (a,b)", result.Words[4]);
    }

    [Fact]
    public void Split_UnterminatedQuote_IsReported()
    {
        Assert.True(ShellWords.Split("kubectl get 'pods").Unterminated);
    }

    [Fact]
    public void Join_QuotesWhatNeedsIt_AndSplitRoundTrips()
    {
        string[] words = ["kubectl", "get", "pods", "-o", "jsonpath={.items[*].metadata.name}", "it's"];

        var line = ShellWords.Join(words);

        Assert.Equal(words, ShellWords.Split(line).Words);
    }
}
