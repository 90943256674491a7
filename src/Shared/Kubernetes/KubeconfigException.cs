namespace NodeOps.Kubernetes;

/// <summary>A kubeconfig NodeOps cannot use; the message says which part and never quotes credentials.</summary>
public sealed class KubeconfigException(string message, Exception? inner = null) : Exception(message, inner);
