using System.Globalization;

namespace NodeOps.Bench;

/// <summary>What every benchmark needs: its options, a check that a run really succeeded, and the median and percentiles.</summary>
internal static class BenchSupport
{
    public static int Option(string[] args, string name, int fallback)
    {
        var at = Array.IndexOf(args, name);
        return at >= 0 && at + 1 < args.Length && int.TryParse(args[at + 1], CultureInfo.InvariantCulture, out var value) ? value : fallback;
    }

    /// <summary>A timing of a run that failed somewhere means nothing: stop, showing the end of what it printed.</summary>
    public static void Check(bool ok, string what, string detail)
    {
        if (!ok)
        {
            throw new InvalidOperationException($"{what} did not succeed on every node:\n{(detail.Length > 4000 ? detail[^4000..] : detail)}");
        }
    }

    public static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
    }

    /// <summary>The value at quantile q (0.99 for p99) of the sorted values.</summary>
    public static double Percentile(List<double> values, double q)
    {
        var sorted = values.Order().ToList();
        return sorted[Math.Min(sorted.Count - 1, (int)Math.Floor(q * sorted.Count))];
    }

    public static void DeleteDataFolder(string path)
    {
        try
        {
            Directory.Delete(path, recursive: true);
        }
        catch (IOException)
        {
            // A pooled SQLite handle; temp is cleaned eventually.
        }
    }
}
