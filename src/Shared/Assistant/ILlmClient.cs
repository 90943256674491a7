namespace NodeOps.Assistant;

/// <summary>A function the model may call: its name, what it does, and its JSON-schema parameters.</summary>
public sealed record LlmToolDefinition(string Name, string Description, string ParametersJsonSchema);

/// <summary>One call to a chat model.</summary>
public sealed record LlmRequest(LlmProvider Provider, LlmModel Model, IReadOnlyList<AgentMessage> Messages, IReadOnlyList<LlmToolDefinition> Tools);

/// <summary>Token counts the provider reported.</summary>
public sealed record LlmUsage(int PromptTokens, int CompletionTokens)
{
    public int TotalTokens => PromptTokens + CompletionTokens;
}

/// <summary>The model's whole answer: text, tool calls, usage.</summary>
public sealed record LlmCompletion(string Content, IReadOnlyList<AgentToolCall> ToolCalls, LlmUsage? Usage, string? FinishReason);

/// <summary>A piece of a streamed answer: a text delta, or (last) the whole answer.</summary>
public sealed record LlmUpdate(string? TextDelta, LlmCompletion? Completion)
{
    public static LlmUpdate Text(string delta) => new(delta, null);

    public static LlmUpdate Done(LlmCompletion completion) => new(null, completion);
}

/// <summary>Whether a provider answered a lightweight request.</summary>
public sealed record LlmProbeResult(bool Healthy, string Detail);

/// <summary>
/// The LLM port: OpenAI-compatible chat completions. Failures are <see cref="LlmException"/>, already retried
/// where retrying makes sense.
/// </summary>
public interface ILlmClient
{
    /// <summary>Streams text deltas as they arrive, then one <see cref="LlmUpdate.Done"/> with the assembled answer.</summary>
    IAsyncEnumerable<LlmUpdate> StreamAsync(LlmRequest request, CancellationToken cancellationToken = default);

    Task<LlmCompletion> CompleteAsync(LlmRequest request, CancellationToken cancellationToken = default);

    /// <summary>Lists the provider's models, the cheapest request that proves the endpoint and the key work.</summary>
    Task<LlmProbeResult> ProbeAsync(LlmProvider provider, CancellationToken cancellationToken = default);
}
