using System.Globalization;
using NodeOps.Errors;

namespace NodeOps.Schedules;

/// <summary>
/// When a schedule may start runs, in its time zone: from <see cref="Start"/> (inclusive) to <see cref="End"/>
/// (exclusive), "HH:mm", on the given days (every day when none are given). A window ends on the day it starts.
/// </summary>
[System.Text.Json.Serialization.JsonUnmappedMemberHandling(System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow)]
public sealed record ScheduleWindow(string Start, string End, IReadOnlyList<string>? Days = null)
{
    public static readonly IReadOnlyList<string> DayNames = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

    /// <summary>Adds a problem naming the field (window.start, window.end, window.days) for each thing wrong.</summary>
    public void Check(List<FieldError> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        var start = ParseTime(Start, "window.start", errors);
        var end = ParseTime(End, "window.end", errors);
        if (start is not null && end is not null && end <= start)
        {
            errors.Add(new FieldError("window.end", $"window.end ({End}) 必须晚于 window.start ({Start})；窗口不能跨过午夜"));
        }

        var unknown = (Days ?? []).Where(d => !DayNames.Contains(d, StringComparer.Ordinal)).ToList();
        if (unknown.Count > 0)
        {
            errors.Add(new FieldError("window.days", $"未知的日期 {string.Join(", ", unknown)}，允许的值: {string.Join(", ", DayNames)}"));
        }
    }

    /// <summary>Whether <paramref name="at"/>, seen in <paramref name="zone"/>, falls inside the window.</summary>
    public bool Contains(DateTimeOffset at, TimeZoneInfo zone)
    {
        var local = TimeZoneInfo.ConvertTime(at, zone);
        var day = DayNames[((int)local.DayOfWeek + 6) % 7];
        if (Days is { Count: > 0 } days && !days.Contains(day, StringComparer.Ordinal))
        {
            return false;
        }

        var time = TimeOnly.FromTimeSpan(local.TimeOfDay);
        return time >= TimeOnly.ParseExact(Start, "HH:mm", CultureInfo.InvariantCulture) && time < TimeOnly.ParseExact(End, "HH:mm", CultureInfo.InvariantCulture);
    }

    private static TimeOnly? ParseTime(string? text, string field, List<FieldError> errors)
    {
        if (TimeOnly.TryParseExact(text, "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var time))
        {
            return time;
        }

        errors.Add(new FieldError(field, $"{field} 必须是 HH:mm (00:00 到 23:59)"));
        return null;
    }
}
