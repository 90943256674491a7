using System.Text;
using YamlDotNet.Core;
using YamlDotNet.Serialization;

namespace NodeOps.Kubernetes;

/// <summary>Reads kubeconfig YAML and resolves a context: server, CA, token, client certificate, namespace.</summary>
public static class Kubeconfig
{
    private static readonly IDeserializer Yaml = new DeserializerBuilder().IgnoreUnmatchedProperties().Build();

    /// <summary>Names of the contexts in the file and the current one.</summary>
    public static (IReadOnlyList<string> Contexts, string? Current) ListContexts(string yaml)
    {
        var document = Parse(yaml);
        return (document.Contexts.Select(c => c.Name ?? "").Where(n => n.Length > 0).ToList(), document.CurrentContext);
    }

    /// <summary>Resolves the named context, or the current context when the name is null (or the only one, when none is current).</summary>
    public static KubeconfigContext Resolve(string yaml, string? contextName = null)
    {
        var document = Parse(yaml);
        var name = contextName ?? document.CurrentContext;
        if (string.IsNullOrEmpty(name))
        {
            name = document.Contexts.Count == 1 ? document.Contexts[0].Name : null;
        }

        if (string.IsNullOrEmpty(name))
        {
            throw new KubeconfigException("The kubeconfig has no current-context; name the context to use.");
        }

        var context = document.Contexts.FirstOrDefault(c => c.Name == name)?.Context
            ?? throw new KubeconfigException($"The kubeconfig has no context named '{name}'.");
        var cluster = document.Clusters.FirstOrDefault(c => c.Name == context.Cluster)?.Cluster
            ?? throw new KubeconfigException($"Context '{name}' refers to cluster '{context.Cluster}', which the kubeconfig does not define.");
        UserEntryOrEmpty(document, context, name, out var user);
        if (user.Exec is not null || user.AuthProvider is not null)
        {
            throw new KubeconfigException($"Context '{name}' authenticates with an exec or auth-provider plugin; NodeOps needs a token or a client certificate in the kubeconfig.");
        }

        if (!Uri.TryCreate(cluster.Server, UriKind.Absolute, out var server) || server.Scheme is not ("https" or "http"))
        {
            throw new KubeconfigException($"Cluster '{context.Cluster}' has no valid https server address.");
        }

        return new KubeconfigContext(
            name,
            context.Cluster!,
            server,
            Pem(cluster.CertificateAuthorityData, cluster.CertificateAuthority, "certificate-authority"),
            cluster.InsecureSkipTlsVerify,
            cluster.TlsServerName,
            user.Token ?? ReadFile(user.TokenFile, "tokenFile")?.Trim(),
            Pem(user.ClientCertificateData, user.ClientCertificate, "client-certificate"),
            Pem(user.ClientKeyData, user.ClientKey, "client-key"),
            user.Username,
            user.Password,
            string.IsNullOrEmpty(context.Namespace) ? null : context.Namespace);
    }

    private static void UserEntryOrEmpty(KubeconfigDocument document, KubeconfigDocument.ContextEntry context, string contextName, out KubeconfigDocument.UserEntry user)
    {
        if (string.IsNullOrEmpty(context.User))
        {
            user = new KubeconfigDocument.UserEntry();
            return;
        }

        user = document.Users.FirstOrDefault(u => u.Name == context.User)?.User
            ?? throw new KubeconfigException($"Context '{contextName}' refers to user '{context.User}', which the kubeconfig does not define.");
    }

    private static KubeconfigDocument Parse(string yaml)
    {
        ArgumentNullException.ThrowIfNull(yaml);
        try
        {
            return Yaml.Deserialize<KubeconfigDocument?>(yaml) ?? throw new KubeconfigException("The kubeconfig is empty.");
        }
        catch (YamlException ex)
        {
            // The YAML parser's message can quote the offending line, which may hold a credential; keep only the position.
            throw new KubeconfigException($"The kubeconfig is not valid YAML (line {ex.Start.Line}, column {ex.Start.Column}).");
        }
    }

    private static string? Pem(string? base64Data, string? file, string what)
    {
        if (!string.IsNullOrEmpty(base64Data))
        {
            try
            {
                return Encoding.UTF8.GetString(Convert.FromBase64String(base64Data));
            }
            catch (FormatException)
            {
                throw new KubeconfigException($"The kubeconfig's {what}-data is not valid base64.");
            }
        }

        return ReadFile(file, what);
    }

    private static string? ReadFile(string? path, string what)
    {
        if (string.IsNullOrEmpty(path))
        {
            return null;
        }

        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new KubeconfigException($"The kubeconfig's {what} file cannot be read.", ex);
        }
    }
}
