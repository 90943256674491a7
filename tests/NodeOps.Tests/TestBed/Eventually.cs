using System.Diagnostics;

namespace NodeOps.Tests.TestBed;

/// <summary>Polls for a condition that becomes true with time (a lease expiring), bounded in time and in tries.</summary>
public static class Eventually
{
    public static async Task<T> GetAsync<T>(Func<Task<T?>> probe, TimeSpan timeout, string what)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(probe);
        var clock = Stopwatch.StartNew();
        for (var attempt = 0; attempt < 1000 && clock.Elapsed < timeout; attempt++)
        {
            if (await probe() is { } value)
            {
                return value;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"{what} did not happen within {timeout}.");
    }
}
