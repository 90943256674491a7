namespace NodeOps.Assistant;

/// <summary>A model a provider offers, with what it can do.</summary>
public sealed record LlmModel(string Id, string Name, string Provider, string Description, IReadOnlyList<string> Capabilities, int ContextLength, double? CostPerToken)
{
    public bool SupportsFunctionCalling => Capabilities.Contains("function_calling");
}

/// <summary>A configured OpenAI-compatible endpoint. The key is kept out of ToString so it never reaches a log.</summary>
public sealed record LlmProvider(string Name, Uri BaseUrl, string? ApiKey, string? ApiKeySource, IReadOnlyList<LlmModel> Models, string DefaultModel)
{
    public LlmModel Model(string? id) => Models.FirstOrDefault(m => m.Id == (id ?? DefaultModel)) ?? Models.First(m => m.Id == DefaultModel);

    public override string ToString() => $"LlmProvider {{ Name = {Name}, BaseUrl = {BaseUrl}, Models = {Models.Count} }}";
}
