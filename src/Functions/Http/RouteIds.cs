using System.Globalization;
using NodeOps.Errors;

namespace NodeOps.Functions.Http;

/// <summary>
/// Numeric ids from the path. Routes take the id as text and parse it here, so "abc" is a 400 naming the field
/// rather than a 404 from a route constraint.
/// </summary>
internal static class RouteIds
{
    public static long Parse(string text, string field = "id") =>
        long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var id) && id > 0
            ? id
            : throw NodeOpsException.BadRequest(field, $"{field} 必须是正整数");

    /// <summary>Task ids are generated as "{kind}-exec-{unix}-{random}"; anything else cannot exist.</summary>
    public static string TaskId(string text) =>
        text.Length is > 0 and <= 100 && text.All(c => char.IsAsciiLetterOrDigit(c) || c == '-')
            ? text
            : throw NodeOpsException.BadRequest("task_id", "task_id 格式不正确");
}
