using System.Text;
using k8s;
using k8s.Exceptions;
using k8s.KubeConfigModels;
using YamlDotNet.Core;

namespace NodeOps.Kubernetes;

/// <summary>
/// Reads a stored kubeconfig with the KubernetesClient library's own model, from memory (never a file), and resolves
/// one context into a client configuration. Only credentials carried in the file are accepted: exec and
/// auth-provider plugins would run programs on the NodeOps host, and file references point at a host that has none.
/// </summary>
public static class Kubeconfig
{
    /// <summary>Names of the contexts in the file and the current one.</summary>
    public static (IReadOnlyList<string> Contexts, string? Current) ListContexts(string yaml)
    {
        var document = Parse(yaml);
        var names = (document.Contexts ?? []).Select(c => c.Name ?? "").Where(n => n.Length > 0).ToList();
        return (names, document.CurrentContext);
    }

    /// <summary>
    /// Resolves the named context, or the current context when the name is null (or the only one, when none is current),
    /// into the configuration a client is built from.
    /// </summary>
    internal static KubeconfigTarget Resolve(string yaml, string? contextName = null)
    {
        var document = Parse(yaml);
        var contexts = (document.Contexts ?? []).ToList();
        var name = contextName ?? document.CurrentContext;
        if (string.IsNullOrEmpty(name))
        {
            name = contexts.Count == 1 ? contexts[0].Name : null;
        }

        if (string.IsNullOrEmpty(name))
        {
            throw new KubeconfigException("The kubeconfig has no current-context; name the context to use.");
        }

        var context = contexts.FirstOrDefault(c => c.Name == name)?.ContextDetails
            ?? throw new KubeconfigException($"The kubeconfig has no context named '{name}'.");
        var cluster = (document.Clusters ?? []).FirstOrDefault(c => c.Name == context.Cluster)?.ClusterEndpoint
            ?? throw new KubeconfigException($"Context '{name}' refers to cluster '{context.Cluster}', which the kubeconfig does not define.");
        var user = string.IsNullOrEmpty(context.User)
            ? null
            : (document.Users ?? []).FirstOrDefault(u => u.Name == context.User)?.UserCredentials
                ?? throw new KubeconfigException($"Context '{name}' refers to user '{context.User}', which the kubeconfig does not define.");
        CheckInline(name, context.Cluster!, cluster, user);
        if (!Uri.TryCreate(cluster.Server, UriKind.Absolute, out var server) || server.Scheme is not ("https" or "http"))
        {
            throw new KubeconfigException($"Cluster '{context.Cluster}' has no valid https server address.");
        }

        if (server.Scheme == "https" && string.IsNullOrEmpty(cluster.CertificateAuthorityData) && !cluster.SkipTlsVerify)
        {
            // The library trusts only the kubeconfig's CA; say so here rather than fail inside it.
            throw new KubeconfigException($"Cluster '{context.Cluster}' has no certificate-authority-data; add the cluster's CA.");
        }

        if (!string.IsNullOrEmpty(user?.ClientCertificateData) != !string.IsNullOrEmpty(user?.ClientKeyData))
        {
            throw new KubeconfigException($"Context '{name}' needs both client-certificate-data and client-key-data, or neither.");
        }

        if (user is not null && string.IsNullOrEmpty(user.Token) && string.IsNullOrEmpty(user.ClientCertificateData) && string.IsNullOrEmpty(user.UserName))
        {
            // A user with no credentials is anonymous access (kubectl sends none); the library would refuse the entry.
            context.User = null;
        }

        try
        {
            var configuration = KubernetesClientConfiguration.BuildConfigFromConfigObject(document, name);
            return new KubeconfigTarget(name, context.Cluster!, string.IsNullOrEmpty(context.Namespace) ? null : context.Namespace, configuration);
        }
        catch (Exception ex) when (ex is KubeConfigException or FormatException or System.Security.Cryptography.CryptographicException or ArgumentException)
        {
            // The library's messages can quote the offending value; say which context instead.
            throw new KubeconfigException($"Context '{name}' has a certificate, key or CA the Kubernetes client cannot use ({ex.GetType().Name}).", ex);
        }
    }

    private static void CheckInline(string contextName, string clusterName, ClusterEndpoint cluster, UserCredentials? user)
    {
        if (user?.ExternalExecution is not null || user?.AuthProvider is not null)
        {
            throw new KubeconfigException($"Context '{contextName}' authenticates with an exec or auth-provider plugin; NodeOps needs a token or a client certificate in the kubeconfig.");
        }

        var files = new[]
        {
            (cluster.CertificateAuthority, "certificate-authority"),
            (user?.ClientCertificate, "client-certificate"),
            (user?.ClientKey, "client-key"),
        };
        foreach (var (path, field) in files)
        {
            if (!string.IsNullOrEmpty(path))
            {
                throw new KubeconfigException($"Cluster '{clusterName}' (context '{contextName}') refers to a file for {field}; put it inline as {field}-data.");
            }
        }
    }

    private static K8SConfiguration Parse(string yaml)
    {
        ArgumentNullException.ThrowIfNull(yaml);
        try
        {
            using var stream = new MemoryStream(Encoding.UTF8.GetBytes(yaml), writable: false);
            return KubernetesClientConfiguration.LoadKubeConfig(stream) ?? throw new KubeconfigException("The kubeconfig is empty.");
        }
        catch (YamlException ex)
        {
            // The YAML parser's message can quote the offending line, which may hold a credential; keep only the position.
            throw new KubeconfigException($"The kubeconfig is not valid YAML (line {ex.Start.Line}, column {ex.Start.Column}).");
        }
    }
}
