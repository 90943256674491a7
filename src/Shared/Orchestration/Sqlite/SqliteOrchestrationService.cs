using System.Collections.Concurrent;
using DurableTask.Core;
using DurableTask.Core.History;
using DurableTask.Core.Query;
using Microsoft.Extensions.Logging;

namespace NodeOps.Orchestration.Sqlite;

/// <summary>
/// NodeOps' embedded Durable Task backend: instances, history, new events, timers and activity work items in one
/// SQLite file (see schema.sql). Instances and activities are leased, not owned: a lease a crashed process can no
/// longer renew runs out and another process (or the restarted one) takes the work over. Several processes may share
/// the file. The worker side, the client side and queries/purge live in the partial files next to this one.
/// </summary>
public sealed partial class SqliteOrchestrationService :
    IOrchestrationService, IOrchestrationServiceClient, IOrchestrationServiceQueryClient, IOrchestrationServicePurgeClient, IDisposable
{
    private static readonly TimeSpan MinPollInterval = TimeSpan.FromMilliseconds(10);
    private static readonly TimeSpan AbandonHoldOff = TimeSpan.FromSeconds(1);
    private const int MaxCachedHistories = 1000;

    private readonly SqliteOrchestrationStore _store;
    private readonly SqliteOrchestrationOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly string _owner = $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid():N}";
    private readonly WorkSignal _orchestrationWork = new();
    private readonly WorkSignal _activityWork = new();
    private readonly ConcurrentQueue<TaskActivityWorkItem> _prefetched = new();
    private readonly ConcurrentQueue<SqliteOrchestrationWorkItem> _readyOrchestrations = new();
    private int _activitiesRunning;
    private readonly ConcurrentDictionary<string, CachedHistory> _histories = new(StringComparer.Ordinal);
    private CancellationTokenSource _shutdown = new();

    public SqliteOrchestrationService(SqliteOrchestrationOptions options, TimeProvider timeProvider, ILoggerFactory loggerFactory)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(loggerFactory);
        _options = options;
        _time = timeProvider ?? throw new ArgumentNullException(nameof(timeProvider));
        _logger = loggerFactory.CreateLogger<SqliteOrchestrationService>();
        _store = new SqliteOrchestrationStore(options.Path);
    }

    public int TaskOrchestrationDispatcherCount => 1;

    public int MaxConcurrentTaskOrchestrationWorkItems => _options.MaxConcurrentOrchestrations;

    public BehaviorOnContinueAsNew EventBehaviourForContinueAsNew => BehaviorOnContinueAsNew.Carryover;

    public int TaskActivityDispatcherCount => 1;

    public int MaxConcurrentTaskActivityWorkItems => _options.MaxConcurrentActivities;

    public Task CreateAsync() => CreateAsync(recreateInstanceStore: false);

    public Task CreateAsync(bool recreateInstanceStore)
    {
        if (recreateInstanceStore)
        {
            _store.Execute(SqliteOrchestrationSql.DropSchema);
        }

        using var schema = typeof(SqliteOrchestrationService).Assembly.GetManifestResourceStream(SchemaResource)
            ?? throw new InvalidOperationException($"The embedded resource {SchemaResource} is missing.");
        using var reader = new StreamReader(schema);
        _store.Execute(reader.ReadToEnd());
        return Task.CompletedTask;
    }

    public Task CreateIfNotExistsAsync() => CreateAsync(recreateInstanceStore: false);

    public Task DeleteAsync() => DeleteAsync(deleteInstanceStore: true);

    public Task DeleteAsync(bool deleteInstanceStore)
    {
        _store.Execute(SqliteOrchestrationSql.DropSchema);
        _histories.Clear();
        return Task.CompletedTask;
    }

    public Task StartAsync()
    {
        Interlocked.Exchange(ref _shutdown, new CancellationTokenSource()).Dispose();
        return Task.CompletedTask;
    }

    public Task StopAsync() => StopAsync(isForced: false);

    /// <summary>Stops polling and gives back the leases taken ahead of work not started, so another process can run it now.</summary>
    public async Task StopAsync(bool isForced)
    {
        await _shutdown.CancelAsync().ConfigureAwait(false);
        var waiting = new List<long>();
        while (_prefetched.TryDequeue(out var item))
        {
            waiting.Add(RowId(item));
        }

        var ready = new List<string>();
        while (_readyOrchestrations.TryDequeue(out var item))
        {
            ready.Add(item.InstanceId);
        }

        await _store.WriteAsync((connection, transaction) =>
            waiting.Sum(id => connection.Run(SqliteOrchestrationSql.ReleaseActivityLock, transaction, ("@id", id), ("@owner", _owner), ("@until", 0L)))
            + ready.Sum(id => connection.Run(SqliteOrchestrationSql.ReleaseInstanceLock, transaction, ("@id", id), ("@owner", _owner), ("@until", 0L))),
            CancellationToken.None).ConfigureAwait(false);
    }

    public bool IsMaxMessageCountExceeded(int currentMessageCount, OrchestrationRuntimeState runtimeState) => false;

    public int GetDelayInSecondsAfterOnProcessException(Exception exception) => exception is OperationCanceledException ? 0 : 1;

    public int GetDelayInSecondsAfterOnFetchException(Exception exception) => exception is OperationCanceledException ? 0 : 1;

    public void Dispose()
    {
        _shutdown.Dispose();
        _store.Dispose();
    }

    internal const string SchemaResource = "NodeOps.Orchestration.Sqlite.schema.sql";

    private DateTime UtcNow => _time.GetUtcNow().UtcDateTime;

    /// <summary>Polls <paramref name="probe"/> until it yields work, backing off while idle, woken early by <paramref name="signal"/>.</summary>
    private async Task<T?> PollAsync<T>(WorkSignal signal, Func<CancellationToken, Task<T?>> probe, TimeSpan receiveTimeout, CancellationToken cancellationToken)
        where T : class
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _shutdown.Token);
        var started = _time.GetTimestamp();
        var delay = MinPollInterval;
        try
        {
            while (!linked.IsCancellationRequested)
            {
                var wake = signal.Current;
                if (await probe(linked.Token).ConfigureAwait(false) is { } found)
                {
                    return found;
                }

                var remaining = receiveTimeout - _time.GetElapsedTime(started);
                if (remaining <= TimeSpan.Zero)
                {
                    return null;
                }

                await WorkSignal.WaitAsync(wake, delay < remaining ? delay : remaining, linked.Token).ConfigureAwait(false);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, _options.MaxPollInterval.Ticks));
            }
        }
        catch (OperationCanceledException) when (linked.IsCancellationRequested)
        {
            // Shutting down: no work item.
        }

        return null;
    }

    /// <summary>An instance's history as this process last wrote it, reused while the stored count still matches.</summary>
    private sealed record CachedHistory(string ExecutionId, IReadOnlyList<HistoryEvent> Events);
}
