using NodeOps.Errors;
using NodeOps.Executions;

namespace NodeOps.Tests.Executions;

public sealed class TaskIdsAndHistoryQueryTests
{
    [Fact]
    public void New_LooksLikeTheSpecsAndParsesBack_NewerSortsFirst()
    {
        var older = TaskIds.New("ssh", DateTimeOffset.FromUnixTimeSeconds(1_698_550_000));
        var newer = TaskIds.New("ssh", DateTimeOffset.FromUnixTimeSeconds(1_698_550_001));

        Assert.Matches("^ssh-exec-1698550000-[a-z0-9]{6}$", older);
        Assert.True(TaskIds.TryParse(older, out var kind, out var olderRow));
        Assert.True(TaskIds.TryParse(newer, out _, out var newerRow));
        Assert.Equal("ssh", kind);
        Assert.True(string.CompareOrdinal(newerRow, olderRow) < 0);
    }

    [Theory]
    [InlineData("")]
    [InlineData("ssh-1698550000-abc")]
    [InlineData("ssh-exec-x-abc")]
    [InlineData("ssh-exec-1-ab/c")]
    [InlineData("SSH-exec-1-abc")]
    public void TryParse_ForeignIds_AreRejected(string taskId) => Assert.False(TaskIds.TryParse(taskId, out _, out _));

    [Fact]
    public void Parse_DayBounds_IncludeTheWholeEndDay()
    {
        var query = HistoryQuery.Parse("ssh", "prod", "completed", "2025-10-01", "2025-10-31", 0, 20);

        Assert.Equal(ExecutionStatus.Completed, query.Status);
        Assert.Equal(new DateTimeOffset(2025, 10, 1, 0, 0, 0, TimeSpan.Zero), query.StartFrom);
        Assert.Equal(new DateTimeOffset(2025, 11, 1, 0, 0, 0, TimeSpan.Zero), query.EndBefore);
    }

    [Theory]
    [InlineData("weird", null, null, "status")]
    [InlineData("1", null, null, "status")]
    [InlineData(null, "10/01/2025", null, "start_date")]
    [InlineData(null, "2025-10-05", "2025-10-01", "end_date")]
    public void Parse_BadValues_NameTheField(string? status, string? start, string? end, string field)
    {
        var error = Assert.Throws<NodeOpsException>(() => HistoryQuery.Parse("ssh", null, status, start, end, 0, 20));
        Assert.Equal(field, error.Field);
    }
}
