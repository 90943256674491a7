using System.Collections.Concurrent;
using System.ComponentModel;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ModelContextProtocol.Server;

namespace NodeOps.Tests.TestBed;

/// <summary>
/// A streamable-HTTP MCP server built with the SDK on a loopback port: a read tool ("echo", readOnlyHint) and a write
/// tool ("write_note", which records what it was asked). It demands a bearer token, so a test proves NodeOps sends it.
/// </summary>
public sealed class HttpMcpTestServer : IAsyncDisposable
{
    public const string Token = "mcp-test-bearer-5f1c9a";

    private readonly WebApplication _app;
    private readonly ConcurrentQueue<string> _notes;

    private HttpMcpTestServer(WebApplication app, ConcurrentQueue<string> notes)
    {
        _app = app;
        _notes = notes;
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        Url = new Uri(address + "/mcp");
    }

    public Uri Url { get; }

    /// <summary>What write_note was asked to write, in order.</summary>
    public IReadOnlyList<string> Written => [.. _notes];

    public static async Task<HttpMcpTestServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var notes = new ConcurrentQueue<string>();
        builder.Services.AddSingleton(notes);
        builder.Services.AddMcpServer().WithHttpTransport(o => o.Stateless = true).WithTools<HttpMcpTestTools>();
        var app = builder.Build();
        app.Use(async (context, next) =>
        {
            if (context.Request.Headers.Authorization != "Bearer " + Token)
            {
                context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                return;
            }

            await next(context);
        });
        app.MapMcp("/mcp");
        await app.StartAsync();
        return new HttpMcpTestServer(app, notes);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

[McpServerToolType]
public sealed class HttpMcpTestTools(ConcurrentQueue<string> notes)
{
    [McpServerTool(Name = "echo", ReadOnly = true), Description("Echoes the text back.")]
    public string Echo([Description("Text to echo")] string text) => "echo: " + text;

    [McpServerTool(Name = "write_note", Destructive = true), Description("Writes a note.")]
    public string WriteNote([Description("The note")] string note)
    {
        notes.Enqueue(note);
        return "written: " + note;
    }

    [McpServerTool(Name = "big", ReadOnly = true), Description("Returns a lot of text.")]
    public string Big([Description("How many bytes")] int bytes) => new('x', bytes);
}

/// <summary>
/// A stdio MCP server in Python's standard library only (newline-delimited JSON-RPC): "echo" (readOnlyHint true) and
/// "exit", which ends the process in the middle of the call, as a crashing server does. It runs as NodeOps runs every
/// stdio server: in the sandbox, as the program python3 with the script as an argument.
/// </summary>
public static class StdioMcpTestServer
{
    public const string Script = """
        import json, os, sys
        TOOLS = [
            {"name": "echo", "description": "Echoes the text and says who it runs as.",
             "inputSchema": {"type": "object", "properties": {"text": {"type": "string"}}, "required": ["text"]},
             "annotations": {"readOnlyHint": True}},
            {"name": "exit", "description": "Ends the server.", "inputSchema": {"type": "object", "properties": {}}},
        ]
        def send(message):
            sys.stdout.write(json.dumps(message) + "\n")
            sys.stdout.flush()
        for line in sys.stdin:
            if not line.strip():
                continue
            request = json.loads(line)
            method, rid = request.get("method"), request.get("id")
            if rid is None:
                continue
            if method == "initialize":
                result = {"protocolVersion": request["params"]["protocolVersion"], "capabilities": {"tools": {}},
                          "serverInfo": {"name": "stdio-test", "version": "1.0"}}
            elif method == "ping":
                result = {}
            elif method == "tools/list":
                result = {"tools": TOOLS}
            elif method == "tools/call":
                name, args = request["params"]["name"], request["params"].get("arguments") or {}
                if name == "exit":
                    os._exit(3)
                text = "stdio echo: %s (uid %d, home %s, secret %s)" % (args.get("text"), os.getuid(), os.environ.get("HOME"), os.environ.get("Secrets__MasterKey", "none"))
                result = {"content": [{"type": "text", "text": text}]}
            else:
                send({"jsonrpc": "2.0", "id": rid, "error": {"code": -32601, "message": "no method " + str(method)}})
                continue
            send({"jsonrpc": "2.0", "id": rid, "result": result})
        """;

    /// <summary>The settings that configure it as MCP server <paramref name="name"/>.</summary>
    public static Dictionary<string, string?> Settings(string name) => new()
    {
        [$"Assistant:Mcp:Servers:{name}:Command"] = "/usr/bin/python3",
        [$"Assistant:Mcp:Servers:{name}:Args:0"] = "-c",
        [$"Assistant:Mcp:Servers:{name}:Args:1"] = Script,
    };
}
