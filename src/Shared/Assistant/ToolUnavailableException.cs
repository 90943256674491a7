namespace NodeOps.Assistant;

/// <summary>A tool cannot run at all here (binary missing, no kubeconfig for the cluster); the turn stops with KUBECTL_ERROR.</summary>
public sealed class ToolUnavailableException(string message, Exception? inner = null) : Exception(message, inner)
{
    /// <summary>What an operator should do about it.</summary>
    public string? Suggestion { get; init; }
}
