using System.Globalization;

namespace NodeOps.Functions.Apis;

/// <summary>The assistant surface's human-readable figures, as its spec shows them: "2.5s", "2h30m15s", "16GB", "96.1%".</summary>
internal static class AssistantFormat
{
    /// <summary>Durations like Go prints them: "850ms", "2.5s", "3m12s", "2h30m15s".</summary>
    public static string Duration(TimeSpan value)
    {
        if (value < TimeSpan.FromSeconds(1))
        {
            return value.TotalMilliseconds.ToString(value.TotalMilliseconds < 10 ? "0.##" : "0", CultureInfo.InvariantCulture) + "ms";
        }

        if (value < TimeSpan.FromMinutes(1))
        {
            return value.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture) + "s";
        }

        var hours = (long)value.TotalHours;
        return hours > 0
            ? string.Create(CultureInfo.InvariantCulture, $"{hours}h{value.Minutes}m{value.Seconds}s")
            : string.Create(CultureInfo.InvariantCulture, $"{value.Minutes}m{value.Seconds}s");
    }

    public static string Bytes(long bytes)
    {
        string[] units = ["B", "KB", "MB", "GB", "TB"];
        double value = bytes;
        var unit = 0;
        while (value >= 1024 && unit < units.Length - 1)
        {
            value /= 1024;
            unit++;
        }

        return value.ToString(value >= 10 || unit == 0 ? "0" : "0.#", CultureInfo.InvariantCulture) + units[unit];
    }

    public static string Percent(double value) => value.ToString("0.0", CultureInfo.InvariantCulture) + "%";
}
