using k8s;

namespace NodeOps.Kubernetes;

/// <summary>One resolved context of a kubeconfig: its names, its namespace, and the library configuration built from it.</summary>
internal sealed record KubeconfigTarget(string ContextName, string ClusterName, string? Namespace, KubernetesClientConfiguration Configuration)
{
    /// <summary>Hides the credentials the configuration holds, so a target in a log or an exception says where, never how.</summary>
    public override string ToString() => $"KubeconfigTarget {{ Context = {ContextName}, Cluster = {ClusterName}, Server = {Configuration.Host} }}";
}
