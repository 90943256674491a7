namespace NodeOps.Functions.Http;

/// <summary>Which of the two API documents a path belongs to; each has its own error shape.</summary>
internal enum ApiSurface
{
    Automation,
    Assistant,
}

internal static class ApiSurfaces
{
    private static readonly string[] AssistantPrefixes = ["/api/v1/chat", "/api/v1/health", "/api/v1/models", "/api/v1/status"];

    public static ApiSurface Of(PathString path) =>
        AssistantPrefixes.Any(prefix => path.StartsWithSegments(prefix, StringComparison.OrdinalIgnoreCase))
            ? ApiSurface.Assistant
            : ApiSurface.Automation;
}
