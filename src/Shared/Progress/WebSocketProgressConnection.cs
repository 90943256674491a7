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
    private readonly ProgressOutbox _outbox = new(options.MaxQueuedPerConnection);
    private readonly HashSet<string> _subscriptions = new(StringComparer.Ordinal);

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
            foreach (var taskId in _subscriptions)
            {
                bus.Unsubscribe(_outbox, taskId);
            }

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
            case "subscribe" or "unsubscribe" when taskId.Length is 0 or > 100:
                Reply(ProgressEventTypes.Error, "", "task_id 不能为空");
                return;
            case "subscribe":
                if (_subscriptions.Contains(taskId))
                {
                    return;
                }

                if (_subscriptions.Count >= options.MaxSubscriptionsPerConnection)
                {
                    Reply(ProgressEventTypes.Error, taskId, $"每个连接最多订阅 {options.MaxSubscriptionsPerConnection} 个任务");
                    return;
                }

                if (await bus.SubscribeAsync(_outbox, taskId, cancellationToken).ConfigureAwait(false))
                {
                    _subscriptions.Add(taskId);
                }
                else
                {
                    Reply(ProgressEventTypes.Error, taskId, $"任务 {taskId} 不存在");
                }

                return;
            case "unsubscribe":
                if (_subscriptions.Remove(taskId))
                {
                    bus.Unsubscribe(_outbox, taskId);
                }

                Reply(ProgressEventTypes.Unsubscribed, taskId, "已取消订阅");
                return;
            default:
                Reply(ProgressEventTypes.Error, taskId, "action 必须是 subscribe、unsubscribe 或 ping");
                return;
        }
    }

    private void Reply(string type, string taskId, string message) =>
        _outbox.Post(new ProgressEvent { TaskId = taskId, Type = type, Message = message, Timestamp = time.GetUtcNow() });

    private async Task WriteAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            var next = await _outbox.ReadAsync(cancellationToken).ConfigureAwait(false);
            if (_outbox.Overflowed)
            {
                await socket.CloseOutputAsync(WebSocketCloseStatus.PolicyViolation, "client too slow", CancellationToken.None).ConfigureAwait(false);
                return;
            }

            var bytes = JsonSerializer.SerializeToUtf8Bytes(next, NodeOpsJson.Options);
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
