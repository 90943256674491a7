using System.Globalization;
using NodeOps.Storage;

namespace NodeOps.Assistant;

/// <summary>A command the agent ran, with who asked, who approved it (null for reads, which need no approval), and how it ended.</summary>
public sealed record ExecutedCommand(
    string SessionId,
    string Owner,
    string RequestedBy,
    string? ApprovedBy,
    string? ActionId,
    string Tool,
    string Command,
    CommandSafety Safety,
    string? Cluster,
    int ExitCode,
    bool TimedOut,
    DateTimeOffset At);

/// <summary>Every command the agent executed, newest first per day, in the table store.</summary>
public sealed class CommandAuditLog(ITableStore store, TimeProvider time)
{
    private const string Table = "assistantcommands";

    public async Task RecordAsync(ExecutedCommand command, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(command);
        var rowKey = (DateTimeOffset.MaxValue.Ticks - command.At.UtcTicks).ToString("D19", CultureInfo.InvariantCulture) + "-" + Guid.NewGuid().ToString("N")[..8];
        await store.InsertAsync(Table, DocumentTable.ToEntity(Day(command.At), rowKey, command), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Commands recorded today (UTC) and the day before, newest first.</summary>
    public async Task<IReadOnlyList<ExecutedCommand>> ListRecentAsync(int max, CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow();
        var result = new List<ExecutedCommand>();
        foreach (var day in new[] { now, now.AddDays(-1) })
        {
            var page = await store.QueryAsync(Table, TableQuery.Partition(Day(day)) with { PageSize = max }, cancellationToken).ConfigureAwait(false);
            result.AddRange(page.Entities.Select(DocumentTable.FromEntity<ExecutedCommand>));
        }

        return result.Take(max).ToList();
    }

    private static string Day(DateTimeOffset at) => at.UtcDateTime.ToString("yyyyMMdd", CultureInfo.InvariantCulture);
}
