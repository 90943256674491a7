using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using NodeOps.Clusters;
using NodeOps.Errors;
using NodeOps.Executions;
using NodeOps.Kubernetes;
using NodeOps.Runners.Ssh;

namespace NodeOps.Schedules;

/// <summary>The nodes a selector chooses, in the cluster's order, and the nodes it could not check.</summary>
public sealed record SelectedNodes(IReadOnlyList<string> Nodes, IReadOnlyList<string> Unchecked);

/// <summary>
/// Applies a target's nodes selector to its cluster's nodes at fire time: by Kubernetes node label (KubernetesClient),
/// or by the reboot sentinel file checked over SSH with the target's credential. Only the cluster's registered
/// nodes can be chosen; a node that cannot be checked is left out and named.
/// </summary>
internal sealed class NodeSelection(ClusterService clusters, IKubernetesClients kubernetes, CatalogPorts catalog, ISshRunner ssh, IOptions<SchedulesOptions> options)
{
    private const int ChecksAtOnce = 16;

    /// <summary>Every node of the target's cluster: the candidates a selector chooses from.</summary>
    public async Task<IReadOnlyList<string>> CandidatesAsync(ScheduleTarget target, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(target);
        var cluster = target.ClusterName ?? throw NodeOpsException.BadRequest("target.cluster_name", "target.cluster_name 不能为空");
        var nodes = await clusters.FindNodesAsync(cluster, cancellationToken).ConfigureAwait(false)
            ?? throw NodeOpsException.Invalid("target.cluster_name", $"集群 {cluster} 不存在");
        return nodes.Select(n => n.Name).ToList();
    }

    public async Task<SelectedNodes> SelectAsync(ScheduleTarget target, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(target);
        var selector = target.Selector ?? throw new ArgumentException("The target has no nodes selector.", nameof(target));
        var candidates = await CandidatesAsync(target, cancellationToken).ConfigureAwait(false);
        return selector.Label is { } label
            ? await ByLabelAsync(target.ClusterName!, label, candidates, cancellationToken).ConfigureAwait(false)
            : await NeedingRebootAsync(target, candidates, cancellationToken).ConfigureAwait(false);
    }

    private async Task<SelectedNodes> ByLabelAsync(string cluster, string label, IReadOnlyList<string> candidates, CancellationToken cancellationToken)
    {
        var api = await kubernetes.OpenAsync(cluster, cancellationToken).ConfigureAwait(false)
            ?? throw NodeOpsException.Invalid(NodeSelector.Field + ".label", $"集群 {cluster} 没有 kubeconfig，无法按标签选择节点");
        var labelled = (await api.ListNodesAsync(label, cancellationToken).ConfigureAwait(false)).Select(n => n.Name).ToHashSet(StringComparer.Ordinal);
        return new SelectedNodes(candidates.Where(labelled.Contains).ToList(), []);
    }

    private async Task<SelectedNodes> NeedingRebootAsync(ScheduleTarget target, IReadOnlyList<string> candidates, CancellationToken cancellationToken)
    {
        var credentialId = target.Body["credential_id"] is JsonValue value && value.TryGetValue<long>(out var id) && id > 0
            ? id
            : throw NodeOpsException.BadRequest("target.credential_id", "target.credential_id 必须是正整数");
        var credential = await catalog.Credentials.GetDecryptedAsync(credentialId, cancellationToken).ConfigureAwait(false);
        var nodes = await catalog.Nodes.ResolveAsync(target.ClusterName!, candidates, cancellationToken).ConfigureAwait(false);
        var check = RemoteInvocation.ForCommand($"test -e \"{options.Value.RebootSentinelPath}\"");
        var found = new bool?[nodes.Count];
        await Parallel.ForEachAsync(Enumerable.Range(0, nodes.Count), new ParallelOptions { MaxDegreeOfParallelism = ChecksAtOnce, CancellationToken = cancellationToken }, async (i, ct) =>
        {
            var node = nodes[i];
            var result = await ssh.RunAsync(
                new SshRunRequest(new SshTarget(target.ClusterName!, node.Name, node.Address, node.Port > 0 ? node.Port : credential.Port, credential), check, options.Value.SelectorCheckTimeout, 1024),
                ct).ConfigureAwait(false);
            // test -e answers 0 (present) or 1 (absent); anything else (no connection, a changed host key) is unknown.
            found[i] = result is { Outcome: SshRunOutcome.Exited, ExitCode: 0 or 1 } ? result.ExitCode == 0 : null;
        }).ConfigureAwait(false);
        return new SelectedNodes(
            nodes.Where((_, i) => found[i] == true).Select(n => n.Name).ToList(),
            nodes.Where((_, i) => found[i] is null).Select(n => n.Name).ToList());
    }
}
