using NodeOps.Errors;

namespace NodeOps.Executions;

/// <summary>The registered execution kinds, by name.</summary>
public sealed class ExecutionHandlers
{
    private readonly Dictionary<string, IExecutionHandler> _handlers;

    public ExecutionHandlers(IEnumerable<IExecutionHandler> handlers)
    {
        ArgumentNullException.ThrowIfNull(handlers);
        _handlers = new Dictionary<string, IExecutionHandler>(StringComparer.Ordinal);
        foreach (var handler in handlers)
        {
            if (!_handlers.TryAdd(handler.Kind, handler))
            {
                throw new InvalidOperationException($"Two execution handlers claim the kind '{handler.Kind}'.");
            }
        }
    }

    public IReadOnlyCollection<string> Kinds => _handlers.Keys;

    public IExecutionHandler? Find(string kind) => _handlers.GetValueOrDefault(kind);

    public IExecutionHandler Get(string kind) =>
        Find(kind) ?? throw new NodeOpsException(ErrorKind.Unavailable, $"执行类型 {kind} 未注册");
}
