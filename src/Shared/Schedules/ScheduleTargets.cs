using NodeOps.Errors;

namespace NodeOps.Schedules;

/// <summary>The registered starters, one per target type.</summary>
public sealed class ScheduleTargets(IEnumerable<IScheduleTargetStarter> starters)
{
    private readonly Dictionary<string, IScheduleTargetStarter> _byType = starters.ToDictionary(s => s.Type, StringComparer.Ordinal);

    /// <summary>The starter of a type; a 422 naming target.type for a type without one.</summary>
    public IScheduleTargetStarter Get(string type) =>
        _byType.TryGetValue(type, out var starter)
            ? starter
            : throw NodeOpsException.Invalid("target.type", $"{type} targets are not available; target.type must be one of {string.Join(", ", _byType.Keys)} ({type} 目标不可用)");
}
