namespace NodeOps.Kubernetes;

/// <summary>The API server answered with an error Status, or could not be reached (<see cref="StatusCode"/> 0).</summary>
public sealed class KubernetesApiException(int statusCode, string reason, string message, Exception? inner = null) : Exception(message, inner)
{
    public int StatusCode { get; } = statusCode;

    /// <summary>The Status reason ("Forbidden", "NotFound", ...), or "Unreachable" / "Timeout" when there was no answer.</summary>
    public string Reason { get; } = reason;

    /// <summary>The messages of the Status's details.causes (a refused eviction names its disruption budget there).</summary>
    public IReadOnlyList<string> Causes { get; init; } = [];
}
