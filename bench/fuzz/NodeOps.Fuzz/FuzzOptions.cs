using System.Globalization;

namespace NodeOps.Fuzz;

/// <summary>The run's bounds: how many requests, from which seed, how many at once, and a time cap.</summary>
internal sealed record FuzzOptions(int Requests, int Seed, int Concurrency, TimeSpan MaxDuration)
{
    public static FuzzOptions Parse(string[] args)
    {
        var options = new FuzzOptions(12_000, 16, 4, TimeSpan.FromMinutes(20));
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            var value = int.Parse(args[i + 1], CultureInfo.InvariantCulture);
            options = args[i] switch
            {
                "--requests" => options with { Requests = Math.Clamp(value, 1, 1_000_000) },
                "--seed" => options with { Seed = value },
                "--concurrency" => options with { Concurrency = Math.Clamp(value, 1, 64) },
                "--max-seconds" => options with { MaxDuration = TimeSpan.FromSeconds(Math.Clamp(value, 10, 7200)) },
                _ => throw new ArgumentException($"unknown option {args[i]}"),
            };
        }

        return options;
    }
}
