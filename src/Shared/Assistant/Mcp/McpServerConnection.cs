using System.Text.Json;
using Microsoft.Extensions.Logging;
using ModelContextProtocol;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;
using NodeOps.Processes;

namespace NodeOps.Assistant.Mcp;

/// <summary>
/// One configured MCP server: connects (a stdio process in the sandbox, or streamable HTTP), lists its tools and lists them again every PingInterval,
/// and when it goes away marks its tools unavailable and reconnects with a doubling backoff. Every figure /health and
/// /status show about it is measured here.
/// </summary>
internal sealed partial class McpServerConnection(
    string name,
    McpServerOptions server,
    AssistantMcpOptions settings,
    AssistantToolOptions tools,
    ToolSandbox sandbox,
    TimeProvider time,
    ILogger logger)
{
    private readonly Lock _gate = new();
    private McpClient? _client;
    private List<McpAssistantTool> _tools = [];
    private IReadOnlyList<string> _knownTools = [];
    private TaskCompletionSource _broken = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public string Name => name;

    /// <summary>"connecting" (never connected yet), "connected" or "disconnected".</summary>
    public string Status { get; private set; } = "connecting";

    /// <summary>Why the server is not connected; never holds configuration secrets (the token is not in any message).</summary>
    public string? Error { get; private set; }

    /// <summary>When the server last answered a check (listing its tools, at connect and every PingInterval).</summary>
    public DateTimeOffset? LastPing { get; private set; }

    /// <summary>When NodeOps last tried to reach the server.</summary>
    public DateTimeOffset? LastCheck { get; private set; }

    public IReadOnlyList<McpAssistantTool> Tools
    {
        get
        {
            lock (_gate)
            {
                return Status == "connected" ? _tools : [];
            }
        }
    }

    /// <summary>The tools the server offered when it was last connected; named to the model while it is down.</summary>
    public IReadOnlyList<string> KnownTools
    {
        get
        {
            lock (_gate)
            {
                return _knownTools;
            }
        }
    }

    public async Task RunAsync(CancellationToken stopping)
    {
        var delay = settings.ReconnectDelay;
        while (!stopping.IsCancellationRequested)
        {
            string? folder = null;
            McpClient? client = null;
            try
            {
                LastCheck = time.GetUtcNow();
                (client, folder) = await ConnectAsync(stopping).ConfigureAwait(false);
                await RefreshToolsAsync(client, stopping).ConfigureAwait(false);
                lock (_gate)
                {
                    _client = client;
                    _broken = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                    Status = "connected";
                    Error = null;
                }

                Log.Connected(logger, name, _tools.Count);
                delay = settings.ReconnectDelay;
                await WatchAsync(client, stopping).ConfigureAwait(false);
            }
            catch (Exception ex) when (!stopping.IsCancellationRequested)
            {
                MarkDown(Describe(ex));
            }
            finally
            {
                lock (_gate)
                {
                    _client = null;
                }

                if (client is not null)
                {
                    await DisposeQuietlyAsync(client).ConfigureAwait(false);
                }

                if (folder is not null)
                {
                    TryDelete(folder);
                }
            }

            if (stopping.IsCancellationRequested)
            {
                break;
            }

            try
            {
                await Task.Delay(delay, time, stopping).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                break;
            }

            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, settings.MaxReconnectDelay.Ticks));
        }
    }

    /// <summary>Calls a tool; a server that cannot be reached makes the tool unavailable (and the connection is rebuilt).</summary>
    public async Task<CallToolResult> CallAsync(string tool, IReadOnlyDictionary<string, object?> arguments, CancellationToken cancellationToken = default)
    {
        McpClient client;
        lock (_gate)
        {
            client = _client ?? throw new ToolUnavailableException($"MCP 服务器 {name} 当前不可用{(Error is null ? "" : "：" + Error)}")
            {
                Suggestion = $"MCP 服务器 {name} 正在重连；稍后再试",
            };
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(settings.CallTimeout);
        try
        {
            return await client.CallToolAsync(tool, arguments, cancellationToken: timeout.Token).ConfigureAwait(false);
        }
        catch (McpProtocolException ex)
        {
            // The server answered with a JSON-RPC error (unknown tool, bad arguments): its answer, for the model.
            return new CallToolResult { IsError = true, Content = [new TextContentBlock { Text = ex.Message }] };
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new ToolUnavailableException($"MCP 服务器 {name} 在 {settings.CallTimeout.TotalSeconds:0} 秒内没有回答 {tool}");
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !timeout.IsCancellationRequested)
        {
            // A cancellation neither the caller nor the timeout asked for is the client giving up its pending calls
            // because the transport closed (the server process ended): the server is gone, not slow.
            var why = ex is OperationCanceledException ? "连接已关闭" : Describe(ex);
            MarkBroken(why);
            throw new ToolUnavailableException($"MCP 服务器 {name} 不可用：{why}", ex) { Suggestion = $"MCP 服务器 {name} 正在重连；稍后再试" };
        }
    }

    private async Task<(McpClient Client, string? Folder)> ConnectAsync(CancellationToken stopping)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        timeout.CancelAfter(settings.ConnectTimeout);
        var options = new McpClientOptions
        {
            ClientInfo = new Implementation { Name = "nodeops", Version = typeof(McpServerConnection).Assembly.GetName().Version?.ToString() ?? "1.0.0" },
            InitializationTimeout = settings.ConnectTimeout,
        };
        if (server.IsHttp)
        {
            var http = new HttpClientTransportOptions
            {
                Name = name,
                Endpoint = new Uri(server.Url!),
                TransportMode = HttpTransportMode.StreamableHttp,
                ConnectionTimeout = settings.ConnectTimeout,
            };
            if (!string.IsNullOrEmpty(server.BearerToken))
            {
                http.AdditionalHeaders = new Dictionary<string, string> { ["Authorization"] = "Bearer " + server.BearerToken };
            }

            return (await McpClient.CreateAsync(new HttpClientTransport(http), options, cancellationToken: timeout.Token).ConfigureAwait(false), null);
        }

        var folder = Directory.CreateTempSubdirectory("nodeops-mcp-").FullName;
        try
        {
            var environment = new Dictionary<string, string?>(StringComparer.Ordinal)
            {
                ["HOME"] = folder,
                ["PATH"] = BoundedProcess.SystemPath,
                ["LANG"] = "C.UTF-8",
            };
            foreach (var (key, value) in server.Env)
            {
                environment[key] = value;
            }

            // The same sandbox as kubectl and bash: the server sees its own folder and the system's programs.
            var start = await sandbox.ConfineAsync(new BoundedProcessStart(server.Command!, server.Args, settings.CallTimeout) { WorkingDirectory = folder }, folder, timeout.Token).ConfigureAwait(false);
            var stdio = new StdioClientTransportOptions
            {
                Name = name,
                Command = start.FileName,
                Arguments = [.. start.Arguments],
                WorkingDirectory = folder,
                EnvironmentVariables = environment,
                InheritEnvironmentVariables = false,
            };
            return (await McpClient.CreateAsync(new StdioClientTransport(stdio), options, cancellationToken: timeout.Token).ConfigureAwait(false), folder);
        }
        catch
        {
            TryDelete(folder);
            throw;
        }
    }

    /// <summary>Checks the server every PingInterval until it goes away: its process ends, a check fails, or a tool call found it broken.</summary>
    private async Task WatchAsync(McpClient client, CancellationToken stopping)
    {
        Task broken;
        lock (_gate)
        {
            broken = _broken.Task;
        }

        while (true)
        {
            var tick = Task.Delay(settings.PingInterval, time, stopping);
            var first = await Task.WhenAny(client.Completion, broken, tick).ConfigureAwait(false);
            stopping.ThrowIfCancellationRequested();
            if (first == client.Completion)
            {
                throw new IOException("连接已关闭（服务器进程已退出或连接中断）");
            }

            if (first == broken)
            {
                throw new IOException(Error ?? "调用失败，连接已中断");
            }

            await RefreshToolsAsync(client, stopping).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Lists the server's tools: the check that it answers (protocol 2026-07-28 has no ping), and it picks up tools the
    /// server added or removed since.
    /// </summary>
    private async Task RefreshToolsAsync(McpClient client, CancellationToken stopping)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        timeout.CancelAfter(settings.ConnectTimeout);
        LastCheck = time.GetUtcNow();
        var listed = await client.ListToolsAsync(cancellationToken: timeout.Token).ConfigureAwait(false);
        lock (_gate)
        {
            _tools = listed.Select(t => new McpAssistantTool(this, t.ProtocolTool, server.TrustReadOnlyHints, tools.OutputLimitBytes, time)).ToList();
            _knownTools = _tools.Select(t => t.Name).ToList();
            LastPing = time.GetUtcNow();
        }
    }

    private void MarkBroken(string why)
    {
        lock (_gate)
        {
            Error = why;
            _broken.TrySetResult();
        }
    }

    private void MarkDown(string why)
    {
        lock (_gate)
        {
            Status = "disconnected";
            Error = why;
        }

        Log.Down(logger, name, why);
    }

    private static string Describe(Exception ex)
    {
        var message = ex is OperationCanceledException ? "连接超时" : ex.Message;
        return message.Length > 300 ? message[..300] : message;
    }

    private static async Task DisposeQuietlyAsync(McpClient client)
    {
        try
        {
            await client.DisposeAsync().ConfigureAwait(false);
        }
        catch (Exception)
        {
            // Already gone; nothing to close.
        }
    }

    private static void TryDelete(string folder)
    {
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // A file the server left open; temp is cleaned by the OS.
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 6101, Level = LogLevel.Information, Message = "MCP server {Server} connected with {Tools} tool(s)")]
        public static partial void Connected(ILogger logger, string server, int tools);

        [LoggerMessage(EventId = 6102, Level = LogLevel.Warning, Message = "MCP server {Server} is unavailable: {Reason}")]
        public static partial void Down(ILogger logger, string server, string reason);
    }
}
