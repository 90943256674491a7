using DurableTask.Core;

namespace NodeOps.Orchestration;

/// <summary>Hands DurableTask.Core a new shim for each execution, looked up by name (versions are not used).</summary>
internal sealed class ShimObjectManager<T> : INameVersionObjectManager<T>
{
    private readonly Dictionary<string, Func<T>> _factories;

    public ShimObjectManager(IEnumerable<(string Name, Func<T> Create)> factories) =>
        _factories = factories.ToDictionary(f => f.Name, f => f.Create, StringComparer.Ordinal);

    public void Add(ObjectCreator<T> creator)
    {
        ArgumentNullException.ThrowIfNull(creator);
        _factories[creator.Name] = creator.Create;
    }

    public T? GetObject(string name, string? version) => _factories.TryGetValue(name, out var create) ? create() : default;
}
