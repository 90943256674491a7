using System.Globalization;
using System.Security.Cryptography;

namespace NodeOps.Executions;

/// <summary>
/// Task ids look like the spec's "ssh-exec-1698550000-xyz789": kind, "-exec-", Unix seconds, a random suffix.
/// The store's row key derives from the id (newest first), so a status read is a point read.
/// </summary>
public static class TaskIds
{
    private const string Separator = "-exec-";
    private const long MaxSeconds = 9_999_999_999;
    private const string Alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";

    public static string New(string kind, DateTimeOffset at)
    {
        Span<char> suffix = stackalloc char[6];
        for (var i = 0; i < suffix.Length; i++)
        {
            suffix[i] = Alphabet[RandomNumberGenerator.GetInt32(Alphabet.Length)];
        }

        return WithSuffix(kind, at, suffix.ToString());
    }

    /// <summary>A task id the caller derives (a schedule's fire: its due time and schedule), so two starters name the same task.</summary>
    public static string WithSuffix(string kind, DateTimeOffset at, string suffix) =>
        string.Create(CultureInfo.InvariantCulture, $"{kind}{Separator}{at.ToUnixTimeSeconds()}-{suffix}");

    /// <summary>Splits a task id into its kind and row key; false for anything NodeOps cannot have issued.</summary>
    public static bool TryParse(string taskId, out string kind, out string rowKey)
    {
        kind = rowKey = "";
        if (string.IsNullOrEmpty(taskId) || taskId.Length > 100)
        {
            return false;
        }

        var at = taskId.IndexOf(Separator, StringComparison.Ordinal);
        if (at <= 0)
        {
            return false;
        }

        var rest = taskId[(at + Separator.Length)..].Split('-');
        if (rest.Length != 2 || !long.TryParse(rest[0], NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) || seconds > MaxSeconds
            || rest[1].Length == 0 || !rest[1].All(char.IsAsciiLetterOrDigit))
        {
            return false;
        }

        kind = taskId[..at];
        rowKey = (MaxSeconds - seconds).ToString("D10", CultureInfo.InvariantCulture) + "-" + rest[1];
        return kind.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c));
    }
}
