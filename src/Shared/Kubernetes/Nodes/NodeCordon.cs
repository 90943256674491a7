namespace NodeOps.Kubernetes.Nodes;

/// <summary>Cordon and uncordon, so that a run only ever uncordons the nodes it cordoned itself.</summary>
public static class NodeCordon
{
    public static async Task<CordonResult> CordonAsync(IKubernetesApi api, string nodeName, Action<NodeProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(api);
        var node = await api.GetNodeAsync(nodeName, cancellationToken).ConfigureAwait(false) ?? throw NotFound(nodeName);
        if (node.Unschedulable)
        {
            progress?.Invoke(new NodeProgress(nodeName, "cordon", "already cordoned before this run"));
            return new CordonResult(nodeName, WasAlreadyUnschedulable: true);
        }

        await api.SetUnschedulableAsync(nodeName, true, cancellationToken).ConfigureAwait(false);
        progress?.Invoke(new NodeProgress(nodeName, "cordon", "cordoned"));
        return new CordonResult(nodeName, WasAlreadyUnschedulable: false);
    }

    /// <summary>Uncordons the node unless it was already cordoned when this run cordoned it.</summary>
    public static async Task<UncordonResult> UncordonAsync(IKubernetesApi api, CordonResult cordoned, Action<NodeProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(api);
        ArgumentNullException.ThrowIfNull(cordoned);
        if (cordoned.WasAlreadyUnschedulable)
        {
            var kept = new UncordonResult(cordoned.Node, false, "was cordoned before this run; left cordoned");
            progress?.Invoke(new NodeProgress(cordoned.Node, "uncordon", kept.Message));
            return kept;
        }

        _ = await api.GetNodeAsync(cordoned.Node, cancellationToken).ConfigureAwait(false) ?? throw NotFound(cordoned.Node);
        await api.SetUnschedulableAsync(cordoned.Node, false, cancellationToken).ConfigureAwait(false);
        progress?.Invoke(new NodeProgress(cordoned.Node, "uncordon", "uncordoned"));
        return new UncordonResult(cordoned.Node, true, "uncordoned");
    }

    private static KubernetesApiException NotFound(string nodeName) => new(404, "NotFound", $"nodes \"{nodeName}\" not found");
}
