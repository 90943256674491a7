using System.Net;
using System.Text.Json;
using k8s.Autorest;

namespace NodeOps.Kubernetes;

/// <summary>Runs one library call and turns its failures into <see cref="KubernetesApiException"/> with the Status reason and message.</summary>
internal static class KubernetesCalls
{
    public static async Task<T> RunAsync<T>(string server, Func<Task<T>> call, CancellationToken cancellationToken)
    {
        try
        {
            return await call().ConfigureAwait(false);
        }
        catch (HttpOperationException ex)
        {
            throw Failure(ex);
        }
        catch (HttpRequestException ex)
        {
            throw new KubernetesApiException(0, "Unreachable", $"The API server {server} cannot be reached: {ex.HttpRequestError}.", ex);
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new KubernetesApiException(0, "Timeout", $"The API server {server} did not answer in {KubernetesClients.RequestTimeout.TotalSeconds:0} s.", ex);
        }
    }

    /// <summary>The call's result, or null when the server answers 404 for it.</summary>
    public static async Task<T?> OrNullWhenNotFoundAsync<T>(Func<Task<T>> call)
        where T : class
    {
        try
        {
            return await call().ConfigureAwait(false);
        }
        catch (HttpOperationException ex) when (ex.Response?.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    public static KubernetesApiException Failure(HttpOperationException ex)
    {
        var status = ex.Response?.StatusCode ?? 0;
        var reason = status.ToString();
        var message = $"The API server answered {(int)status} {status}.";
        var causes = new List<string>();
        try
        {
            using var document = JsonDocument.Parse(ex.Response?.Content ?? "");
            var root = document.RootElement;
            if (root.ValueKind == JsonValueKind.Object)
            {
                reason = Text(root, "reason") ?? reason;
                message = Text(root, "message") ?? message;
                if (root.TryGetProperty("details", out var details) && details.ValueKind == JsonValueKind.Object
                    && details.TryGetProperty("causes", out var list) && list.ValueKind == JsonValueKind.Array)
                {
                    causes.AddRange(list.EnumerateArray().Select(c => Text(c, "message")).OfType<string>());
                }
            }
        }
        catch (JsonException)
        {
            // Not a Status object; the status line says enough.
        }

        return new KubernetesApiException((int)status, reason, message, ex) { Causes = causes };
    }

    private static string? Text(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
