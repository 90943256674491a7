namespace NodeOps.Kubernetes;

/// <summary>
/// One context of a kubeconfig, resolved: where the API server is and how to prove who we are.
/// PEM texts are inline even when the file referred to files, so nothing reads the disk later.
/// </summary>
public sealed record KubeconfigContext(
    string ContextName,
    string ClusterName,
    Uri Server,
    string? CertificateAuthorityPem,
    bool InsecureSkipTlsVerify,
    string? TlsServerName,
    string? BearerToken,
    string? ClientCertificatePem,
    string? ClientKeyPem,
    string? Username,
    string? Password,
    string? Namespace)
{
    /// <summary>Hides the credentials, so a context in a log or an exception says where, never how.</summary>
    public override string ToString() => $"KubeconfigContext {{ Context = {ContextName}, Cluster = {ClusterName}, Server = {Server} }}";
}
