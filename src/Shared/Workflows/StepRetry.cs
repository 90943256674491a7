using System.Text.Json.Serialization;

namespace NodeOps.Workflows;

/// <summary>Retries of a failed step on a node: at most <see cref="MaxAttempts"/> runs in all, <see cref="Delay"/> seconds apart.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record StepRetry(int? MaxAttempts = null, int? Delay = null);
