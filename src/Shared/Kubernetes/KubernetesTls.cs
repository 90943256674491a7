using System.Net.Security;
using System.Reflection;

namespace NodeOps.Kubernetes;

/// <summary>
/// Tightens the library's server-certificate check. With a kubeconfig CA the library accepts a chain error when that
/// CA is the root, but does so even when the certificate names another host; here a certificate must also name the
/// server (or the kubeconfig's tls-server-name), as kubectl requires. The library installs its check after its
/// FirstMessageHandlerSetup hook runs and keeps the handler private, so the handler is reached by reflection; if a
/// later library version moves it, building the client fails loudly rather than running with the weaker check.
/// </summary>
internal static class KubernetesTls
{
    private static readonly PropertyInfo? HandlerProperty =
        typeof(k8s.Kubernetes).GetProperty("HttpClientHandler", BindingFlags.Instance | BindingFlags.NonPublic | BindingFlags.Public);

    public static void RequireServerName(k8s.Kubernetes client, k8s.KubernetesClientConfiguration configuration)
    {
        if (configuration.SkipTlsVerify || !configuration.Host.StartsWith("https:", StringComparison.OrdinalIgnoreCase))
        {
            return;
        }

        if (HandlerProperty?.GetValue(client) is not SocketsHttpHandler handler || handler.SslOptions.RemoteCertificateValidationCallback is not { } library)
        {
            throw new InvalidOperationException("This KubernetesClient version hides its HTTP handler; NodeOps cannot verify the API server's certificate name.");
        }

        if (!string.IsNullOrEmpty(configuration.TlsServerName))
        {
            handler.SslOptions.TargetHost = configuration.TlsServerName;
        }

        handler.SslOptions.RemoteCertificateValidationCallback = (sender, certificate, chain, errors) =>
            (errors & (SslPolicyErrors.RemoteCertificateNameMismatch | SslPolicyErrors.RemoteCertificateNotAvailable)) == 0
            && library(sender, certificate, chain, errors);
    }
}
