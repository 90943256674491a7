using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace NodeOps.Tests.TestBed;

/// <summary>A tool call the fake model makes.</summary>
public sealed record FakeToolCall(string Name, string ArgumentsJson, string? Id = null);

/// <summary>
/// One scripted answer of the fake model: text (streamed in chunks), tool calls, or an HTTP error.
/// Delays make it slow; <see cref="Hang"/> keeps the stream open until the client goes away.
/// </summary>
public sealed record FakeLlmResponse
{
    public string Text { get; init; } = "";

    public IReadOnlyList<FakeToolCall> ToolCalls { get; init; } = [];

    /// <summary>Characters per streamed content chunk.</summary>
    public int ChunkSize { get; init; } = 8;

    public TimeSpan FirstTokenDelay { get; init; }

    public TimeSpan ChunkDelay { get; init; }

    public int? ErrorStatus { get; init; }

    public string ErrorMessage { get; init; } = "error";

    public int? RetryAfterSeconds { get; init; }

    /// <summary>After the text, keep the stream open (sending nothing) until the client disconnects.</summary>
    public bool Hang { get; init; }

    public int PromptTokens { get; init; } = 120;

    public int CompletionTokens { get; init; } = 30;

    public static FakeLlmResponse Reply(string text) => new() { Text = text };

    public static FakeLlmResponse Call(string name, object arguments, string? id = null) =>
        new() { ToolCalls = [new FakeToolCall(name, JsonSerializer.Serialize(arguments), id)] };

    public static FakeLlmResponse Kubectl(string command, string? id = null) => Call("kubectl", new { command }, id);

    public static FakeLlmResponse Error(int status, string message = "error", int? retryAfterSeconds = null) =>
        new() { ErrorStatus = status, ErrorMessage = message, RetryAfterSeconds = retryAfterSeconds };
}

/// <summary>A request the fake model received.</summary>
public sealed class FakeLlmRequest
{
    public required string Path { get; init; }

    public required string Authorization { get; init; }

    public required JsonObject Body { get; init; }

    public bool Stream => Body["stream"]?.GetValue<bool>() == true;

    public JsonArray Messages => Body["messages"] as JsonArray ?? [];

    public string? Model => Body["model"]?.GetValue<string>();

    /// <summary>Stopwatch timestamp when the first content token was written (0 when none was).</summary>
    public long FirstTokenAt { get; set; }

    /// <summary>Set when the client went away before the answer was complete.</summary>
    public bool Aborted { get; set; }

    public bool Completed { get; set; }
}

/// <summary>
/// A loopback OpenAI-compatible server: POST /v1/chat/completions (streamed SSE chunks or one JSON answer, with
/// tool calls and usage) and GET /v1/models. Scripted per test with a queue of responses; an empty queue answers
/// 500 so a test that asks more than it scripted fails loudly. Records every request.
/// </summary>
public sealed class FakeLlmServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<FakeLlmResponse> _script = new();
    private readonly ConcurrentQueue<FakeLlmRequest> _requests = new();
    private int _ids;

    private FakeLlmServer(WebApplication app)
    {
        _app = app;
    }

    /// <summary>The OpenAI-style base URL, ending in /v1.</summary>
    public Uri BaseUrl { get; private set; } = null!;

    /// <summary>When set, any other API key gets 401 invalid_api_key.</summary>
    public string? RequiredApiKey { get; set; }

    /// <summary>Answer GET /v1/models with this status (200 lists "fake-model").</summary>
    public int ModelsStatus { get; set; } = 200;

    public IReadOnlyList<FakeLlmRequest> Requests => [.. _requests];

    public IReadOnlyList<FakeLlmRequest> ChatRequests => _requests.Where(r => r.Path.EndsWith("/chat/completions", StringComparison.Ordinal)).ToList();

    public int Pending => _script.Count;

    public static async Task<FakeLlmServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var server = new FakeLlmServer(app);
        app.Run(server.HandleAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server.BaseUrl = new Uri(address.TrimEnd('/') + "/v1");
        return server;
    }

    public FakeLlmServer Enqueue(params FakeLlmResponse[] responses)
    {
        foreach (var response in responses)
        {
            _script.Enqueue(response);
        }

        return this;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task HandleAsync(HttpContext context)
    {
        var path = context.Request.Path.Value ?? "";
        string body;
        using (var reader = new StreamReader(context.Request.Body, Encoding.UTF8))
        {
            body = await reader.ReadToEndAsync(context.RequestAborted);
        }

        var request = new FakeLlmRequest
        {
            Path = path,
            Authorization = context.Request.Headers.Authorization.ToString(),
            Body = body.Length > 0 ? JsonNode.Parse(body) as JsonObject ?? [] : [],
        };
        _requests.Enqueue(request);
        if (RequiredApiKey is not null && request.Authorization != "Bearer " + RequiredApiKey)
        {
            await WriteErrorAsync(context, 401, "Incorrect API key provided.", "invalid_api_key", null);
            return;
        }

        if (HttpMethods.IsGet(context.Request.Method) && path.EndsWith("/models", StringComparison.Ordinal))
        {
            if (ModelsStatus != 200)
            {
                await WriteErrorAsync(context, ModelsStatus, "models unavailable", "server_error", null);
                return;
            }

            await WriteJsonAsync(context, 200, new JsonObject
            {
                ["object"] = "list",
                ["data"] = new JsonArray(new JsonObject { ["id"] = "fake-model", ["object"] = "model", ["created"] = 0, ["owned_by"] = "fake" }),
            });
            return;
        }

        if (!HttpMethods.IsPost(context.Request.Method) || !path.EndsWith("/chat/completions", StringComparison.Ordinal))
        {
            await WriteErrorAsync(context, 404, $"no route {path}", "not_found", null);
            return;
        }

        if (!_script.TryDequeue(out var response))
        {
            await WriteErrorAsync(context, 500, "The fake model has no scripted response left.", "server_error", null);
            return;
        }

        try
        {
            if (response.ErrorStatus is { } status)
            {
                await WriteErrorAsync(context, status, response.ErrorMessage, status == 429 ? "rate_limit_exceeded" : "server_error", response.RetryAfterSeconds);
            }
            else if (request.Stream)
            {
                await StreamAsync(context, request, response);
            }
            else
            {
                await CompleteAsync(context, request, response);
            }

            request.Completed = true;
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            request.Aborted = true;
        }
        catch (IOException)
        {
            request.Aborted = true;
        }
    }

    private async Task StreamAsync(HttpContext context, FakeLlmRequest request, FakeLlmResponse response)
    {
        var ct = context.RequestAborted;
        var id = "chatcmpl-" + Interlocked.Increment(ref _ids).ToString(CultureInfo.InvariantCulture);
        var model = request.Model ?? "fake-model";
        context.Response.StatusCode = 200;
        context.Response.ContentType = "text/event-stream";
        context.Response.Headers.CacheControl = "no-cache";
        await context.Response.StartAsync(ct);
        if (response.FirstTokenDelay > TimeSpan.Zero)
        {
            await Task.Delay(response.FirstTokenDelay, ct);
        }

        await ChunkAsync(context, id, model, new JsonObject { ["role"] = "assistant", ["content"] = "" }, null);
        for (var i = 0; i < response.Text.Length; i += response.ChunkSize)
        {
            if (i > 0 && response.ChunkDelay > TimeSpan.Zero)
            {
                await Task.Delay(response.ChunkDelay, ct);
            }

            if (request.FirstTokenAt == 0)
            {
                request.FirstTokenAt = Stopwatch.GetTimestamp();
            }

            await ChunkAsync(context, id, model, new JsonObject { ["content"] = response.Text.Substring(i, Math.Min(response.ChunkSize, response.Text.Length - i)) }, null);
        }

        if (response.Hang)
        {
            await Task.Delay(Timeout.InfiniteTimeSpan, ct);
        }

        for (var index = 0; index < response.ToolCalls.Count; index++)
        {
            var call = response.ToolCalls[index];
            var callId = call.Id ?? $"call_{id}_{index}";
            await ChunkAsync(context, id, model, new JsonObject
            {
                ["tool_calls"] = new JsonArray(new JsonObject
                {
                    ["index"] = index,
                    ["id"] = callId,
                    ["type"] = "function",
                    ["function"] = new JsonObject { ["name"] = call.Name, ["arguments"] = "" },
                }),
            }, null);
            // Arguments arrive in pieces, as real providers send them.
            var args = call.ArgumentsJson;
            for (var i = 0; i < args.Length; i += 7)
            {
                await ChunkAsync(context, id, model, new JsonObject
                {
                    ["tool_calls"] = new JsonArray(new JsonObject
                    {
                        ["index"] = index,
                        ["function"] = new JsonObject { ["arguments"] = args.Substring(i, Math.Min(7, args.Length - i)) },
                    }),
                }, null);
            }
        }

        await ChunkAsync(context, id, model, new JsonObject(), response.ToolCalls.Count > 0 ? "tool_calls" : "stop");
        await WriteLineAsync(context, new JsonObject
        {
            ["id"] = id,
            ["object"] = "chat.completion.chunk",
            ["created"] = 1_700_000_000,
            ["model"] = model,
            ["choices"] = new JsonArray(),
            ["usage"] = Usage(response),
        }.ToJsonString());
        await WriteLineAsync(context, "[DONE]");
    }

    private static async Task CompleteAsync(HttpContext context, FakeLlmRequest request, FakeLlmResponse response)
    {
        if (response.FirstTokenDelay > TimeSpan.Zero)
        {
            await Task.Delay(response.FirstTokenDelay, context.RequestAborted);
        }

        var message = new JsonObject { ["role"] = "assistant", ["content"] = response.Text };
        if (response.ToolCalls.Count > 0)
        {
            var calls = new JsonArray();
            for (var index = 0; index < response.ToolCalls.Count; index++)
            {
                var call = response.ToolCalls[index];
                calls.Add(new JsonObject
                {
                    ["id"] = call.Id ?? $"call_{index}_{Guid.NewGuid():N}",
                    ["type"] = "function",
                    ["function"] = new JsonObject { ["name"] = call.Name, ["arguments"] = call.ArgumentsJson },
                });
            }

            message["tool_calls"] = calls;
        }

        request.FirstTokenAt = Stopwatch.GetTimestamp();
        await WriteJsonAsync(context, 200, new JsonObject
        {
            ["id"] = "chatcmpl-" + Guid.NewGuid().ToString("N"),
            ["object"] = "chat.completion",
            ["created"] = 1_700_000_000,
            ["model"] = request.Model ?? "fake-model",
            ["choices"] = new JsonArray(new JsonObject
            {
                ["index"] = 0,
                ["message"] = message,
                ["finish_reason"] = response.ToolCalls.Count > 0 ? "tool_calls" : "stop",
            }),
            ["usage"] = Usage(response),
        });
    }

    private static JsonObject Usage(FakeLlmResponse response) => new()
    {
        ["prompt_tokens"] = response.PromptTokens,
        ["completion_tokens"] = response.CompletionTokens,
        ["total_tokens"] = response.PromptTokens + response.CompletionTokens,
    };

    private static Task ChunkAsync(HttpContext context, string id, string model, JsonObject delta, string? finishReason) =>
        WriteLineAsync(context, new JsonObject
        {
            ["id"] = id,
            ["object"] = "chat.completion.chunk",
            ["created"] = 1_700_000_000,
            ["model"] = model,
            ["choices"] = new JsonArray(new JsonObject { ["index"] = 0, ["delta"] = delta, ["finish_reason"] = finishReason }),
        }.ToJsonString());

    private static async Task WriteLineAsync(HttpContext context, string data)
    {
        await context.Response.WriteAsync("data: " + data + "\n\n", context.RequestAborted);
        await context.Response.Body.FlushAsync(context.RequestAborted);
    }

    private static Task WriteErrorAsync(HttpContext context, int status, string message, string code, int? retryAfter)
    {
        if (retryAfter is { } seconds)
        {
            context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        }

        return WriteJsonAsync(context, status, new JsonObject
        {
            ["error"] = new JsonObject { ["message"] = message, ["type"] = code, ["param"] = null, ["code"] = code },
        });
    }

    private static async Task WriteJsonAsync(HttpContext context, int status, JsonNode body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(body.ToJsonString(), context.RequestAborted);
    }
}
