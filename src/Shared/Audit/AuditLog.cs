using System.Globalization;
using NodeOps.Storage;

namespace NodeOps.Audit;

public sealed record AuditEntry(string Area, string Action, string Actor, string Details, DateTimeOffset At);

/// <summary>Who changed what, and when. Newest first within an area (row keys count down).</summary>
public sealed class AuditLog(ITableStore store, TimeProvider time)
{
    private const string Table = "audit";

    public async Task RecordAsync(string area, string action, string actor, string details, CancellationToken cancellationToken = default)
    {
        var at = time.GetUtcNow();
        var rowKey = (DateTimeOffset.MaxValue.Ticks - at.UtcTicks).ToString("D19", CultureInfo.InvariantCulture) + "-" + Guid.NewGuid().ToString("N")[..8];
        var entry = new AuditEntry(area, action, actor, details, at);
        await store.InsertAsync(Table, DocumentTable.ToEntity(area, rowKey, entry), cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<AuditEntry>> ListAsync(string area, int max, CancellationToken cancellationToken = default)
    {
        var page = await store.QueryAsync(Table, TableQuery.Partition(area) with { PageSize = max }, cancellationToken).ConfigureAwait(false);
        return page.Entities.Select(DocumentTable.FromEntity<AuditEntry>).ToList();
    }
}
