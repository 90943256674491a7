namespace NodeOps.Kubernetes;

/// <summary>What GET /version says.</summary>
public sealed record KubernetesVersion(string Major, string Minor, string GitVersion, string Platform);
