using System.Collections.Concurrent;

namespace NodeOps.Kubernetes.Nodes;

/// <summary>
/// Drains a node the way kubectl drain does, with what operators asked of kured on top: list the node's pods and
/// run them through <see cref="PodFilters"/> (refusing before anything is evicted), evict in parallel through
/// policy/v1 Eviction, and treat a 429 as a PodDisruptionBudget holding on: back off, list again (a pod rescheduled
/// elsewhere is not chased) and retry, naming the budget, until every pod is gone or replaced under one global timeout.
/// The node must already be cordoned; see <see cref="NodeCordon"/>.
/// </summary>
public sealed class NodeDrainer(TimeProvider time)
{
    public async Task<DrainResult> DrainAsync(
        IKubernetesApi api, string nodeName, DrainOptions options, Action<NodeProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(api);
        ArgumentNullException.ThrowIfNull(options);
        var started = time.GetTimestamp();
        var evicted = new Dictionary<string, string>(StringComparer.Ordinal);
        var blocking = new List<string>();
        var blockedPods = new List<string>();
        var round = 0;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var now = time.GetUtcNow();
            var verdicts = (await api.ListPodsOnNodeAsync(nodeName, cancellationToken).ConfigureAwait(false))
                .Select(pod => PodFilters.Apply(pod, options, now))
                .ToList();
            var skipped = verdicts.Where(v => v.Verdict == PodVerdict.Skip).ToList();
            var refused = verdicts.Where(v => v.Verdict == PodVerdict.Refuse).ToList();
            if (refused.Count > 0)
            {
                var error = "cannot drain: " + string.Join("; ", refused.Select(r => $"{r.Pod} {r.Reason}"));
                progress?.Invoke(new NodeProgress(nodeName, "filter", error, evicted.Count, refused.Count));
                return Result(false, skipped, refused, blocking, error);
            }

            var targets = verdicts.Where(v => v.Verdict == PodVerdict.Evict).Select(v => v.Pod).ToList();
            if (targets.Count == 0)
            {
                progress?.Invoke(new NodeProgress(nodeName, "drained", $"drained: {evicted.Count} pods evicted, {skipped.Count} skipped", evicted.Count));
                return Result(true, skipped, [], [], null);
            }

            // A pod we evicted that is still listed with the same UID is terminating; one with a new UID is a new pod.
            var pending = targets.Where(p => !evicted.ContainsKey(p.Uid)).ToList();
            var blocked = pending.Count == 0 ? [] : await EvictAsync(api, nodeName, pending, options, evicted, progress, cancellationToken).ConfigureAwait(false);
            if (pending.Count > 0)
            {
                blocking = blocked.Select(b => b.Budget).OfType<string>().Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
                blockedPods = blocked.Select(b => b.Pod.ToString()).ToList();
            }

            var remaining = targets.Count - (pending.Count - blocked.Count);
            if (blocked.Count > 0)
            {
                progress?.Invoke(new NodeProgress(nodeName, "blocked",
                    $"{blocked.Count} pods wait for a PodDisruptionBudget ({Names(blocking)}); retrying", evicted.Count, remaining, blocking));
            }
            else
            {
                progress?.Invoke(new NodeProgress(nodeName, "wait", $"waiting for {remaining} evicted pods to terminate", evicted.Count, remaining));
            }

            var elapsed = time.GetElapsedTime(started);
            if (elapsed >= options.Timeout)
            {
                var error = blocked.Count > 0 || blocking.Count > 0
                    ? $"drain timed out after {options.Timeout.TotalSeconds:0} s: PodDisruptionBudget {Names(blocking)} blocks eviction of {string.Join(", ", blockedPods)}"
                    : $"drain timed out after {options.Timeout.TotalSeconds:0} s waiting for {remaining} pods to terminate";
                return Result(false, skipped, [], blocking, error);
            }

            var delay = blocked.Count > 0 ? Backoff(options, round++) : options.PollInterval;
            await Task.Delay(delay < options.Timeout - elapsed ? delay : options.Timeout - elapsed, time, cancellationToken).ConfigureAwait(false);
        }

        DrainResult Result(bool succeeded, IReadOnlyList<PodFilterResult> skipped, IReadOnlyList<PodFilterResult> refused, IReadOnlyList<string> budgets, string? error) =>
            new(nodeName, succeeded, evicted.Values.Order(StringComparer.Ordinal).ToList(), skipped, refused, budgets, error);
    }

    /// <summary>Evicts (or, opted in, deletes) the pods in parallel; records the ones that went and returns the ones a budget held.</summary>
    private static async Task<IReadOnlyList<(KubernetesPod Pod, string? Budget)>> EvictAsync(
        IKubernetesApi api, string nodeName, List<KubernetesPod> pods, DrainOptions options, Dictionary<string, string> evicted,
        Action<NodeProgress>? progress, CancellationToken cancellationToken)
    {
        progress?.Invoke(new NodeProgress(nodeName, "evict", $"{(options.DisableEviction ? "deleting" : "evicting")} {pods.Count} pods", evicted.Count, pods.Count));
        var outcomes = new ConcurrentDictionary<KubernetesPod, EvictionOutcome>();
        await Parallel.ForEachAsync(pods, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, options.Parallelism), CancellationToken = cancellationToken }, async (pod, token) =>
            outcomes[pod] = options.DisableEviction
                ? await api.DeletePodAsync(pod, options.GracePeriodSeconds, token).ConfigureAwait(false)
                : await api.EvictPodAsync(pod, options.GracePeriodSeconds, token).ConfigureAwait(false)).ConfigureAwait(false);
        var blocked = new List<(KubernetesPod, string?)>();
        foreach (var (pod, outcome) in outcomes)
        {
            if (outcome.Status == EvictionStatus.Blocked)
            {
                blocked.Add((pod, outcome.Budget));
            }
            else
            {
                evicted[pod.Uid] = pod.ToString();
            }
        }

        return blocked;
    }

    private static TimeSpan Backoff(DrainOptions options, int round)
    {
        var delay = options.RetryDelay * Math.Pow(2, Math.Min(round, 16));
        return delay < options.MaxRetryDelay ? delay : options.MaxRetryDelay;
    }

    private static string Names(List<string> budgets) => budgets.Count == 0 ? "(unnamed)" : string.Join(", ", budgets);
}
