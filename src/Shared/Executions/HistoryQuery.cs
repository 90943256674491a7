using System.Globalization;
using NodeOps.Errors;

namespace NodeOps.Executions;

/// <summary>History filters. <see cref="EndBefore"/> is exclusive.</summary>
public sealed record HistoryQuery(string Kind, string? ClusterName, ExecutionStatus? Status, DateTimeOffset? StartFrom, DateTimeOffset? EndBefore, int Skip, int Take, long? ScheduleId = null)
{
    /// <summary>
    /// Builds the filters from the query-string values, with a 400 naming the field for a bad value. Dates are
    /// "YYYY-MM-DD" (end_date includes that whole day, UTC) or full RFC 3339 instants; schedule_id keeps the runs one
    /// schedule started.
    /// </summary>
    public static HistoryQuery Parse(string kind, string? clusterName, string? status, string? startDate, string? endDate, int skip, int take, string? scheduleId = null)
    {
        long? schedule = null;
        if (!string.IsNullOrEmpty(scheduleId))
        {
            schedule = long.TryParse(scheduleId, NumberStyles.None, CultureInfo.InvariantCulture, out var id) && id > 0
                ? id
                : throw NodeOpsException.BadRequest("schedule_id", "schedule_id 必须是正整数");
        }

        ExecutionStatus? parsedStatus = null;
        if (!string.IsNullOrEmpty(status))
        {
            parsedStatus = Enum.TryParse<ExecutionStatus>(status, ignoreCase: true, out var s) && !int.TryParse(status, CultureInfo.InvariantCulture, out _)
                ? s
                : throw NodeOpsException.BadRequest("status", "status 必须是 pending、running、completed、failed 或 cancelled");
        }

        var from = ParseDate(startDate, "start_date", endOfDay: false);
        var before = ParseDate(endDate, "end_date", endOfDay: true);
        if (from is not null && before is not null && before <= from)
        {
            throw NodeOpsException.BadRequest("end_date", "end_date 不能早于 start_date");
        }

        return new HistoryQuery(kind, string.IsNullOrEmpty(clusterName) ? null : clusterName, parsedStatus, from, before, skip, take, schedule);
    }

    private static DateTimeOffset? ParseDate(string? text, string field, bool endOfDay)
    {
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
        {
            var start = new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
            return endOfDay ? start.AddDays(1) : start;
        }

        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var instant) && text.Contains('T', StringComparison.Ordinal))
        {
            return endOfDay ? instant.AddTicks(1) : instant;
        }

        throw NodeOpsException.BadRequest(field, $"{field} 必须是 YYYY-MM-DD 或 RFC 3339 时间");
    }
}
