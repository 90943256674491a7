using Cronos;
using NodeOps.Errors;

namespace NodeOps.Schedules;

/// <summary>
/// A schedule's cron expression (5 fields, or 6 with seconds first) in its IANA time zone. Cronos handles daylight
/// saving: a time skipped by a spring-forward fires at the transition, a time repeated by a fall-back fires once.
/// </summary>
public sealed class ScheduleTiming
{
    private readonly CronExpression _cron;

    private ScheduleTiming(CronExpression cron, TimeZoneInfo zone)
    {
        _cron = cron;
        Zone = zone;
    }

    public TimeZoneInfo Zone { get; }

    /// <summary>The timing, or null with a problem naming "cron" or "timezone" added for each that is wrong.</summary>
    public static ScheduleTiming? TryParse(string? cron, string? timezone, List<FieldError> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        CronExpression? expression = null;
        var fields = cron?.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length ?? 0;
        if (fields is not (5 or 6))
        {
            errors.Add(new FieldError("cron", "cron 必须是 5 个字段 (分 时 日 月 周)，或 6 个字段 (秒在最前)"));
        }
        else
        {
            try
            {
                expression = CronExpression.Parse(cron!, fields == 6 ? CronFormat.IncludeSeconds : CronFormat.Standard);
            }
            catch (CronFormatException ex)
            {
                errors.Add(new FieldError("cron", $"cron 无效: {ex.Message}"));
            }
        }

        TimeZoneInfo? zone = null;
        if (string.IsNullOrWhiteSpace(timezone) || !TimeZoneInfo.TryFindSystemTimeZoneById(timezone, out zone))
        {
            errors.Add(new FieldError("timezone", $"未知的时区 {timezone}；请使用 IANA 名称，例如 UTC、Europe/Berlin、Asia/Shanghai"));
        }

        return expression is null || zone is null ? null : new ScheduleTiming(expression, zone);
    }

    /// <summary>Parses a timing that was checked when it was stored.</summary>
    public static ScheduleTiming Parse(string cron, string timezone)
    {
        var errors = new List<FieldError>();
        return TryParse(cron, timezone, errors) ?? throw new InvalidDataException($"Stored schedule timing is invalid: {string.Join("; ", errors.Select(e => e.Message))}");
    }

    /// <summary>The next due time strictly after <paramref name="after"/>, or null when there is none.</summary>
    public DateTimeOffset? Next(DateTimeOffset after) => _cron.GetNextOccurrence(after, Zone, inclusive: false);

    /// <summary>The next <paramref name="count"/> due times strictly after <paramref name="after"/>.</summary>
    public IReadOnlyList<DateTimeOffset> Next(DateTimeOffset after, int count)
    {
        var due = new List<DateTimeOffset>(count);
        for (var at = Next(after); at is not null && due.Count < count; at = Next(at.Value))
        {
            due.Add(at.Value);
        }

        return due;
    }

    /// <summary>Due times in (<paramref name="after"/>, <paramref name="until"/>], oldest first.</summary>
    public IReadOnlyList<DateTimeOffset> Between(DateTimeOffset after, DateTimeOffset until) =>
        after >= until ? [] : _cron.GetOccurrences(after, until, Zone, fromInclusive: false, toInclusive: true).ToList();
}
