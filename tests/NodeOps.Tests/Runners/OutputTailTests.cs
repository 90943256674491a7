using System.Text;
using NodeOps.Runners.Ssh;

namespace NodeOps.Tests.Runners;

public sealed class OutputTailTests
{
    [Theory]
    [InlineData(10, new[] { 3, 4 })]
    [InlineData(10, new[] { 25 })]
    [InlineData(10, new[] { 7, 7, 7, 7 })]
    [InlineData(8, new[] { 8, 1, 16, 3 })]
    public void Append_InAnyChunking_KeepsExactlyTheLastBytes(int limit, int[] chunks)
    {
        var all = new List<byte>();
        var tail = new OutputTail(limit);
        var next = 0;
        foreach (var size in chunks)
        {
            var chunk = Enumerable.Range(next, size).Select(i => (byte)('a' + (i % 26))).ToArray();
            next += size;
            all.AddRange(chunk);
            tail.Append(chunk);
        }

        var expected = Encoding.ASCII.GetString(all.Skip(Math.Max(0, all.Count - limit)).ToArray());
        Assert.Equal(expected, tail.Decode());
        Assert.Equal(all.Count > limit, tail.Truncated);
    }

    [Fact]
    public void Decode_TailStartingInsideACharacter_DropsThePartialCharacter()
    {
        var tail = new OutputTail(5);
        tail.Append(Encoding.UTF8.GetBytes("ab€cd"));

        Assert.Equal("cd", tail.Decode()[^2..]);
        Assert.DoesNotContain('\uFFFD', tail.Decode());
    }
}
