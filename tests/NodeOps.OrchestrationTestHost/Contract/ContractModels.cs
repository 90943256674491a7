namespace NodeOps.OrchestrationTestHost.Contract;

/// <summary>A number to square, after an optional pause that keeps work in flight long enough to kill or share it.</summary>
public sealed record SquareInput(int Value, int DelayMs);

/// <summary>The square and the process that computed it, so a test sees which processes took work.</summary>
public sealed record SquareResult(long Square, int ProcessId);

public sealed record WorkInput(int Count, int DelayMs);

public sealed record WorkResult(long Sum, IReadOnlyList<int> ProcessIds);

public sealed record CounterInput(int Current, int Target);

/// <summary>The expected results, computed outside any orchestration.</summary>
public static class Expected
{
    public static long SumOfSquares(int count) => Enumerable.Range(0, count).Sum(i => (long)i * i);
}
