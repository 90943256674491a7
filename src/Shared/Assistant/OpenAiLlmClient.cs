using System.ClientModel;
using System.Collections.Concurrent;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using Microsoft.Extensions.Options;
using OpenAI;
using OpenAI.Chat;
using OpenAI.Models;

namespace NodeOps.Assistant;

/// <summary>The LLM port over the OpenAI .NET SDK; every provider is the same client with its own endpoint and key.</summary>
internal sealed class OpenAiLlmClient(IOptions<AssistantOptions> options) : ILlmClient
{
    private readonly ConcurrentDictionary<(string Provider, string Model), ChatClient> _chats = new();
    private readonly AssistantOptions _options = options.Value;

    public async IAsyncEnumerable<LlmUpdate> StreamAsync(LlmRequest request, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var client = Chat(request.Provider, request.Model.Id);
        var content = new StringBuilder();
        var calls = new SortedDictionary<int, (string? Id, string? Name, StringBuilder Arguments)>();
        LlmUsage? usage = null;
        string? finish = null;
        var stream = client.CompleteChatStreamingAsync(ToMessages(request.Messages), Options(request), cancellationToken);
        await using var updates = stream.GetAsyncEnumerator(cancellationToken);
        while (true)
        {
            StreamingChatCompletionUpdate update;
            try
            {
                if (!await updates.MoveNextAsync().ConfigureAwait(false))
                {
                    break;
                }

                update = updates.Current;
            }
            catch (Exception ex) when (Translate(ex, request.Provider, cancellationToken) is { } failure)
            {
                throw failure;
            }

            foreach (var part in update.ContentUpdate)
            {
                if (!string.IsNullOrEmpty(part.Text))
                {
                    content.Append(part.Text);
                    yield return LlmUpdate.Text(part.Text);
                }
            }

            foreach (var call in update.ToolCallUpdates)
            {
                if (!calls.TryGetValue(call.Index, out var entry))
                {
                    entry = (null, null, new StringBuilder());
                }

                entry.Id ??= call.ToolCallId;
                entry.Name ??= call.FunctionName;
                if (call.FunctionArgumentsUpdate is { } args && !args.ToMemory().IsEmpty)
                {
                    entry.Arguments.Append(args.ToString());
                }

                calls[call.Index] = entry;
            }

            if (update.Usage is { } u)
            {
                usage = new LlmUsage(u.InputTokenCount, u.OutputTokenCount);
            }

            if (update.FinishReason is { } reason)
            {
                finish = reason.ToString();
            }
        }

        var toolCalls = calls.Values
            .Where(c => !string.IsNullOrEmpty(c.Name))
            .Select((c, i) => new AgentToolCall(c.Id ?? $"call_{i.ToString(CultureInfo.InvariantCulture)}", ToolWireNames.FromWire(c.Name!, request.Tools), c.Arguments.ToString()))
            .ToList();
        yield return LlmUpdate.Done(new LlmCompletion(content.ToString(), toolCalls, usage, finish));
    }

    public async Task<LlmCompletion> CompleteAsync(LlmRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ChatCompletion completion;
        try
        {
            completion = (await Chat(request.Provider, request.Model.Id).CompleteChatAsync(ToMessages(request.Messages), Options(request), cancellationToken).ConfigureAwait(false)).Value;
        }
        catch (Exception ex) when (Translate(ex, request.Provider, cancellationToken) is { } failure)
        {
            throw failure;
        }

        var text = string.Concat(completion.Content.Where(p => p.Text is not null).Select(p => p.Text));
        var calls = completion.ToolCalls.Select(c => new AgentToolCall(c.Id, ToolWireNames.FromWire(c.FunctionName, request.Tools), c.FunctionArguments.ToString())).ToList();
        var usage = completion.Usage is { } u ? new LlmUsage(u.InputTokenCount, u.OutputTokenCount) : null;
        return new LlmCompletion(text, calls, usage, completion.FinishReason.ToString());
    }

    public async Task<LlmProbeResult> ProbeAsync(LlmProvider provider, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(provider);
        var client = new OpenAIModelClient(new ApiKeyCredential(provider.ApiKey ?? "none"), ClientOptions(provider, maxRetries: 0, TimeSpan.FromSeconds(10)));
        try
        {
            await client.GetModelsAsync(cancellationToken).ConfigureAwait(false);
            return new LlmProbeResult(true, "reachable");
        }
        catch (ClientResultException ex) when (ex.Status is 404 or 405)
        {
            // Some compatible endpoints have no model list; an HTTP answer still proves they are up.
            return new LlmProbeResult(true, "reachable (no model list)");
        }
        catch (Exception ex) when (Translate(ex, provider, cancellationToken) is { } failure)
        {
            return new LlmProbeResult(false, failure.Message);
        }
    }

    private ChatClient Chat(LlmProvider provider, string model) =>
        _chats.GetOrAdd((provider.Name, model), key => new ChatClient(key.Model, new ApiKeyCredential(provider.ApiKey ?? "none"), ClientOptions(provider, _options.LlmMaxRetries, _options.LlmTimeout)));

    private OpenAIClientOptions ClientOptions(LlmProvider provider, int maxRetries, TimeSpan timeout) => new()
    {
        Endpoint = provider.BaseUrl,
        NetworkTimeout = timeout,
        RetryPolicy = new LlmRetryPolicy(maxRetries, _options.LlmRetryBaseDelay),
        UserAgentApplicationId = "nodeops",
    };

    private static ChatCompletionOptions Options(LlmRequest request)
    {
        var options = new ChatCompletionOptions();
        foreach (var tool in request.Tools)
        {
            options.Tools.Add(ChatTool.CreateFunctionTool(ToolWireNames.ToWire(tool.Name), tool.Description, BinaryData.FromString(tool.ParametersJsonSchema)));
        }

        return options;
    }

    private static List<ChatMessage> ToMessages(IReadOnlyList<AgentMessage> messages) => messages.Select(ToMessage).ToList();

    private static ChatMessage ToMessage(AgentMessage message)
    {
        switch (message.Role)
        {
            case AgentRole.System:
                return new SystemChatMessage(message.Content);
            case AgentRole.User:
                return new UserChatMessage(message.Content);
            case AgentRole.Tool:
                return new ToolChatMessage(message.ToolCallId ?? "", message.Content);
            default:
                if (message.ToolCalls is not { Count: > 0 } calls)
                {
                    return new AssistantChatMessage(message.Content);
                }

                var assistant = new AssistantChatMessage(calls.Select(c => ChatToolCall.CreateFunctionToolCall(c.Id, ToolWireNames.ToWire(c.Name), BinaryData.FromString(c.Arguments.Length == 0 ? "{}" : c.Arguments))));
                if (message.Content.Length > 0)
                {
                    assistant.Content.Add(ChatMessageContentPart.CreateTextPart(message.Content));
                }

                return assistant;
        }
    }

    /// <summary>Maps SDK and transport failures to <see cref="LlmException"/>; null for the caller's own cancellation.</summary>
    private static LlmException? Translate(Exception exception, LlmProvider provider, CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested && exception is OperationCanceledException)
        {
            return null;
        }

        return exception switch
        {
            LlmException => null,
            // The retry policy reports its exhausted tries together; the last one says how it ended.
            AggregateException { InnerExceptions.Count: > 0 } all => Translate(all.InnerExceptions[^1], provider, cancellationToken) is { } last
                ? new LlmException(last.Failure, provider.Name, last.Status, last.Message + $"（已尝试 {all.InnerExceptions.Count} 次）", last.RetryAfterSeconds, all)
                : null,
            ClientResultException { Status: 429 } rate => new LlmException(LlmFailure.RateLimited, provider.Name, 429,
                $"{provider.Name} 限流 (429)，请稍后重试", RetryAfter(rate), rate),
            ClientResultException { Status: 401 or 403 } auth => new LlmException(LlmFailure.InvalidKey, provider.Name, auth.Status,
                $"{provider.Name} 拒绝了 API Key ({auth.Status})：密钥无效、过期或无权访问该模型", null, auth),
            ClientResultException { Status: >= 500 or 408 } server => new LlmException(LlmFailure.Unavailable, provider.Name, server.Status,
                $"{provider.Name} 服务端错误 ({server.Status})，重试后仍失败", null, server),
            ClientResultException { Status: 0 } transport => new LlmException(LlmFailure.Unavailable, provider.Name, null,
                $"无法连接到 {provider.Name} ({provider.BaseUrl.Host})", null, transport),
            ClientResultException other => new LlmException(LlmFailure.Rejected, provider.Name, other.Status,
                $"{provider.Name} 拒绝了请求 ({other.Status})", null, other),
            OperationCanceledException or TimeoutException => new LlmException(LlmFailure.Unavailable, provider.Name, null,
                $"{provider.Name} 响应超时", null, exception),
            HttpRequestException or IOException => new LlmException(LlmFailure.Unavailable, provider.Name, null,
                $"无法连接到 {provider.Name} ({provider.BaseUrl.Host})", null, exception),
            _ => null,
        };
    }

    private static int? RetryAfter(ClientResultException exception)
    {
        var response = exception.GetRawResponse();
        if (response is not null && response.Headers.TryGetValue("Retry-After", out var value)
            && int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var seconds) && seconds >= 0)
        {
            return seconds;
        }

        return null;
    }
}
