namespace NodeOps.Kubernetes.Nodes;

/// <summary>Waits for a node's Ready condition, and after a reboot for a new boot id as well.</summary>
public sealed class NodeReadiness(TimeProvider time)
{
    /// <param name="previousBootId">When set, the node counts as ready only once its boot id differs (it really rebooted).</param>
    public async Task<ReadyResult> WaitReadyAsync(
        IKubernetesApi api,
        string nodeName,
        TimeSpan timeout,
        TimeSpan pollInterval,
        string? previousBootId = null,
        Action<NodeProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(api);
        var started = time.GetTimestamp();
        string? lastReported = null;
        while (true)
        {
            var node = await api.GetNodeAsync(nodeName, cancellationToken).ConfigureAwait(false);
            var status = node?.ReadyStatus ?? "NotFound";
            var rebooted = previousBootId is null || (node?.BootId is { } boot && boot != previousBootId);
            var waited = time.GetElapsedTime(started);
            if (node is { Ready: true } && rebooted)
            {
                progress?.Invoke(new NodeProgress(nodeName, "wait_ready", "Ready"));
                return new ReadyResult(nodeName, true, status, node.ReadyReason, node.BootId, waited);
            }

            var said = $"Ready={status}{(node?.ReadyReason is { } reason ? $" ({reason})" : "")}{(rebooted ? "" : ", boot id unchanged")}";
            if (said != lastReported)
            {
                progress?.Invoke(new NodeProgress(nodeName, "wait_ready", said));
                lastReported = said;
            }

            if (waited >= timeout)
            {
                return new ReadyResult(nodeName, false, status, node?.ReadyReason, node?.BootId, waited);
            }

            var left = timeout - waited;
            await Task.Delay(pollInterval < left ? pollInterval : left, time, cancellationToken).ConfigureAwait(false);
        }
    }
}
