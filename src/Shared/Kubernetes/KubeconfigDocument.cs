using YamlDotNet.Serialization;

namespace NodeOps.Kubernetes;

/// <summary>The subset of a kubeconfig file NodeOps reads, as YAML maps it. Names follow the file's keys.</summary>
internal sealed class KubeconfigDocument
{
    [YamlMember(Alias = "current-context")]
    public string? CurrentContext { get; set; }

    [YamlMember(Alias = "clusters")]
    public List<NamedEntry> Clusters { get; set; } = [];

    [YamlMember(Alias = "users")]
    public List<NamedEntry> Users { get; set; } = [];

    [YamlMember(Alias = "contexts")]
    public List<NamedEntry> Contexts { get; set; } = [];

    /// <summary>An entry of the clusters, users or contexts list; only the matching body is set.</summary>
    internal sealed class NamedEntry
    {
        [YamlMember(Alias = "name")]
        public string? Name { get; set; }

        [YamlMember(Alias = "cluster")]
        public ClusterEntry? Cluster { get; set; }

        [YamlMember(Alias = "user")]
        public UserEntry? User { get; set; }

        [YamlMember(Alias = "context")]
        public ContextEntry? Context { get; set; }
    }

    internal sealed class ClusterEntry
    {
        [YamlMember(Alias = "server")]
        public string? Server { get; set; }

        [YamlMember(Alias = "certificate-authority-data")]
        public string? CertificateAuthorityData { get; set; }

        [YamlMember(Alias = "certificate-authority")]
        public string? CertificateAuthority { get; set; }

        [YamlMember(Alias = "insecure-skip-tls-verify")]
        public bool InsecureSkipTlsVerify { get; set; }

        [YamlMember(Alias = "tls-server-name")]
        public string? TlsServerName { get; set; }
    }

    internal sealed class UserEntry
    {
        [YamlMember(Alias = "token")]
        public string? Token { get; set; }

        [YamlMember(Alias = "tokenFile")]
        public string? TokenFile { get; set; }

        [YamlMember(Alias = "client-certificate-data")]
        public string? ClientCertificateData { get; set; }

        [YamlMember(Alias = "client-certificate")]
        public string? ClientCertificate { get; set; }

        [YamlMember(Alias = "client-key-data")]
        public string? ClientKeyData { get; set; }

        [YamlMember(Alias = "client-key")]
        public string? ClientKey { get; set; }

        [YamlMember(Alias = "username")]
        public string? Username { get; set; }

        [YamlMember(Alias = "password")]
        public string? Password { get; set; }

        [YamlMember(Alias = "exec")]
        public Dictionary<string, object>? Exec { get; set; }

        [YamlMember(Alias = "auth-provider")]
        public Dictionary<string, object>? AuthProvider { get; set; }
    }

    internal sealed class ContextEntry
    {
        [YamlMember(Alias = "cluster")]
        public string? Cluster { get; set; }

        [YamlMember(Alias = "user")]
        public string? User { get; set; }

        [YamlMember(Alias = "namespace")]
        public string? Namespace { get; set; }
    }
}
