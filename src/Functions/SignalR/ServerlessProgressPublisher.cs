using Microsoft.Extensions.Options;
using NodeOps.Progress;

namespace NodeOps.Functions.SignalR;

/// <summary>
/// Serverless mode's progress port: every event still reaches the in-process bus (the WebSocket), and goes to the
/// task's group on Azure SignalR Service through REST. Publishing never waits: events queue in a
/// <see cref="ProgressOutbox"/>, so when the service is slow intermediate progress merges per task by the same rule
/// as for a slow client and completions are never dropped. A background loop sends what is queued in batches, tasks
/// in parallel and each task's events in order, every call retried by <see cref="SignalRRestClient"/>.
/// </summary>
internal sealed class ServerlessProgressPublisher(
    InProcessProgressBus bus,
    SignalRRestClient rest,
    IOptions<SignalROptions> options,
    ILogger<ServerlessProgressPublisher> logger) : BackgroundService, IProgressPublisher
{
    public const string Target = "progress";
    private readonly ProgressOutbox _outbox = new(maxQueued: 100_000);

    public static string GroupFor(string taskId) => "task_" + taskId;

    public void Publish(ProgressEvent progressEvent)
    {
        bus.Publish(progressEvent);
        _outbox.Post(progressEvent);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var batch = new List<ProgressEvent>();
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                batch.Clear();
                batch.Add(await _outbox.ReadAsync(stoppingToken));
                while (batch.Count < options.Value.PublishBatchSize && _outbox.TryTake(out var next))
                {
                    batch.Add(next);
                }

                await Task.WhenAll(batch.GroupBy(e => e.TaskId, StringComparer.Ordinal).Select(task => SendInOrderAsync([.. task], stoppingToken)));
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
        }
    }

    private async Task SendInOrderAsync(ProgressEvent[] events, CancellationToken cancellationToken)
    {
        foreach (var progressEvent in events)
        {
            try
            {
                await rest.SendToGroupAsync(GroupFor(progressEvent.TaskId), Target, ProgressWire.ToElement(progressEvent), cancellationToken);
            }
            catch (SignalRServiceException ex)
            {
                // Clients catch up from the snapshot when they subscribe again; the engine must not wait for the service.
                logger.LogWarning("A {Type} event of task {TaskId} was not delivered to Azure SignalR Service: {Reason}", progressEvent.Type, progressEvent.TaskId, ex.Message);
            }

            if (progressEvent.IsFinal)
            {
                // The task is over: its coalescing state is no longer needed.
                _outbox.Forget(progressEvent.TaskId);
            }
        }
    }
}
