namespace NodeOps.Assistant.Mcp;

/// <summary>Bound from "Assistant:Mcp": the MCP servers whose tools the assistant offers the model.</summary>
public sealed class AssistantMcpOptions
{
    /// <summary>
    /// The spec's <c>--mcp-client</c> flag sets this true. Unset, the client runs when servers are configured;
    /// false keeps it off whatever is configured.
    /// </summary>
    public bool? Enabled { get; set; }

    public Dictionary<string, McpServerOptions> Servers { get; set; } = new(StringComparer.Ordinal);

    /// <summary>How long connecting (starting the process or reaching the URL, and the initialize handshake) may take.</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long one tool call may take before the model is told it timed out.</summary>
    public TimeSpan CallTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>How often a connected server is checked (its tools listed again); the answer is the last_ping of /status.</summary>
    public TimeSpan PingInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>First wait before reconnecting to a server that is down; doubled after each failure up to the maximum.</summary>
    public TimeSpan ReconnectDelay { get; set; } = TimeSpan.FromSeconds(1);

    public TimeSpan MaxReconnectDelay { get; set; } = TimeSpan.FromMinutes(2);

    public bool IsOn => Enabled ?? Servers.Count > 0;
}

/// <summary>One MCP server: a command run over stdio in the sandbox, or a streamable-HTTP URL.</summary>
public sealed class McpServerOptions
{
    /// <summary>stdio: the program (an absolute path, or a name found on the system PATH).</summary>
    public string? Command { get; set; }

    public List<string> Args { get; set; } = [];

    /// <summary>stdio: the server's environment, on top of HOME, PATH and LANG; nothing else of NodeOps's reaches it.</summary>
    public Dictionary<string, string> Env { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Streamable HTTP: the endpoint URL.</summary>
    public string? Url { get; set; }

    /// <summary>Streamable HTTP: sent as "Authorization: Bearer …"; a secret, never logged or returned.</summary>
    public string? BearerToken { get; set; }

    /// <summary>
    /// Only for a server listed here does a tool's <c>readOnlyHint: true</c> make it a read. A hint is the server's
    /// claim, so by default every MCP tool is a write (refused in read-only mode, otherwise approved first).
    /// </summary>
    public bool TrustReadOnlyHints { get; set; }

    public bool IsHttp => !string.IsNullOrEmpty(Url);
}
