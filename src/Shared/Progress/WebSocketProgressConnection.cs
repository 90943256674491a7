using System.Buffers;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using NodeOps.Json;

namespace NodeOps.Progress;

/// <summary>
/// One client on the progress WebSocket. The client sends {"action":"subscribe"|"unsubscribe"|"ping","task_id":...};
/// the server sends progress events. Reading and writing run apart: the bus posts into this connection's outbox
/// without waiting, and a writer drains it at the client's pace. A client that stops reading for too long, or
/// whose outbox overflows, is disconnected; the engine never waits for it.
/// </summary>
public sealed class WebSocketProgressConnection(WebSocket socket, InProcessProgressBus bus, ProgressOptions options, TimeProvider time)
{
    public const int MaxMessageBytes = 4096;
    private static readonly TimeSpan SendTimeout = TimeSpan.FromSeconds(30);
    private readonly ProgressSubscriptions _subscriptions = new(bus, options);

    private ProgressOutbox Outbox => _subscriptions.Outbox;

    public async Task RunAsync(CancellationToken cancellationToken = default)
    {
        using var connection = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var writer = WriteAsync(connection.Token);
        try
        {
            await ReadAsync(connection.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
        {
        }
        finally
        {
            await connection.CancelAsync().ConfigureAwait(false);
            _subscriptions.Release();

            try
            {
                await writer.ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
            {
            }
        }

        if (socket.State == WebSocketState.Open || socket.State == WebSocketState.CloseReceived)
        {
            using var closing = new CancellationTokenSource(TimeSpan.FromSeconds(2), time);
            try
            {
                await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "bye", closing.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
            {
            }
        }
    }

    private async Task ReadAsync(CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(MaxMessageBytes);
        try
        {
            while (socket.State == WebSocketState.Open && !cancellationToken.IsCancellationRequested)
            {
                var length = 0;
                ValueWebSocketReceiveResult result;
                do
                {
                    if (length >= MaxMessageBytes)
                    {
                        await socket.CloseAsync(WebSocketCloseStatus.MessageTooBig, $"messages are limited to {MaxMessageBytes} bytes", cancellationToken).ConfigureAwait(false);
                        return;
                    }

                    result = await socket.ReceiveAsync(buffer.AsMemory(length, MaxMessageBytes - length), cancellationToken).ConfigureAwait(false);
                    length += result.Count;
                }
                while (!result.EndOfMessage && result.MessageType != WebSocketMessageType.Close);

                if (result.MessageType == WebSocketMessageType.Close)
                {
                    return;
                }

                await HandleAsync(Encoding.UTF8.GetString(buffer, 0, length), cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private async Task HandleAsync(string text, CancellationToken cancellationToken)
    {
        ClientMessage? message;
        try
        {
            message = JsonSerializer.Deserialize<ClientMessage>(text, NodeOpsJson.Options);
        }
        catch (JsonException)
        {
            Reply(ProgressEventTypes.Error, "", "消息不是有效的 JSON");
            return;
        }

        var taskId = message?.TaskId ?? "";
        switch (message?.Action)
        {
            case "ping":
                Reply(ProgressEventTypes.Pong, taskId, "pong");
                return;
            case "subscribe":
                var outcome = await _subscriptions.SubscribeAsync(taskId, cancellationToken).ConfigureAwait(false);
                if (_subscriptions.Refusal(outcome, taskId) is { } refusal)
                {
                    Reply(ProgressEventTypes.Error, outcome == SubscribeOutcome.InvalidTaskId ? "" : taskId, refusal);
                }

                return;
            case "unsubscribe" when taskId.Length is 0 or > ProgressSubscriptions.MaxTaskIdLength:
                Reply(ProgressEventTypes.Error, "", _subscriptions.Refusal(SubscribeOutcome.InvalidTaskId, taskId)!);
                return;
            case "unsubscribe":
                _subscriptions.Unsubscribe(taskId);
                Reply(ProgressEventTypes.Unsubscribed, taskId, "已取消订阅");
                return;
            default:
                Reply(ProgressEventTypes.Error, taskId, "action 必须是 subscribe、unsubscribe 或 ping");
                return;
        }
    }

    private void Reply(string type, string taskId, string message) =>
        Outbox.Post(new ProgressEvent { TaskId = taskId, Type = type, Message = message, Timestamp = time.GetUtcNow() });

    private async Task WriteAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            var next = await Outbox.ReadAsync(cancellationToken).ConfigureAwait(false);
            if (Outbox.Overflowed)
            {
                await socket.CloseOutputAsync(WebSocketCloseStatus.PolicyViolation, "client too slow", CancellationToken.None).ConfigureAwait(false);
                return;
            }

            var bytes = ProgressWire.ToUtf8Json(next);
            using var send = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            send.CancelAfter(SendTimeout);
            try
            {
                await socket.SendAsync(bytes, WebSocketMessageType.Text, endOfMessage: true, send.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                // The client has not taken a message in SendTimeout: treat it as dead.
                socket.Abort();
                return;
            }
        }
    }

    private sealed record ClientMessage(string? Action, string? TaskId);
}
