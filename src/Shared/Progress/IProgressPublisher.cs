namespace NodeOps.Progress;

/// <summary>
/// The progress port the engine publishes through. Publishing never waits for subscribers: a slow client
/// cannot slow the engine. Adapters: the in-process bus (WebSocket); later SignalR and Azure SignalR Service.
/// </summary>
public interface IProgressPublisher
{
    void Publish(ProgressEvent progressEvent);
}
