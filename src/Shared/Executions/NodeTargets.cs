using NodeOps.Clusters;
using NodeOps.Errors;
using NodeOps.Features;

namespace NodeOps.Executions;

/// <summary>
/// The checks every node execution request shares: the cluster and nodes resolve, the credential exists, and the
/// timeout and max_concurrent are in range, with the feature settings as defaults and max_concurrent's ceiling.
/// </summary>
public sealed class NodeTargets(CatalogPorts catalog, FeatureService features)
{
    public const int MaxNodes = 1000;
    public const int MaxTimeoutSeconds = 86_400;

    public async Task<(IReadOnlyList<ResolvedNode> Nodes, int Timeout, int MaxConcurrent)> PrepareAsync(
        string clusterName, IReadOnlyList<string> targetNodes, long credentialId, int? timeout, int? maxConcurrent, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(targetNodes);
        if (string.IsNullOrWhiteSpace(clusterName))
        {
            throw NodeOpsException.BadRequest("cluster_name", "cluster_name 不能为空");
        }

        if (targetNodes.Count == 0)
        {
            throw NodeOpsException.BadRequest("target_nodes", "target_nodes 不能为空");
        }

        if (targetNodes.Count > MaxNodes)
        {
            throw NodeOpsException.BadRequest("target_nodes", $"一次最多 {MaxNodes} 个节点");
        }

        if (targetNodes.Any(string.IsNullOrWhiteSpace))
        {
            throw NodeOpsException.BadRequest("target_nodes", "节点名不能为空");
        }

        var duplicates = targetNodes.GroupBy(n => n, StringComparer.Ordinal).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        if (duplicates.Count > 0)
        {
            throw NodeOpsException.BadRequest("target_nodes", "节点重复: " + string.Join(", ", duplicates));
        }

        if (credentialId <= 0)
        {
            throw NodeOpsException.BadRequest("credential_id", "credential_id 必须是正整数");
        }

        var ssh = (await features.GetAsync(cancellationToken).ConfigureAwait(false)).Ssh;
        var effectiveTimeout = timeout ?? ssh.Timeout;
        if (effectiveTimeout is < 1 or > MaxTimeoutSeconds)
        {
            throw NodeOpsException.BadRequest("timeout", $"timeout 必须在 1 到 {MaxTimeoutSeconds} 秒之间");
        }

        var effectiveConcurrency = maxConcurrent ?? ssh.MaxConcurrent;
        if (effectiveConcurrency < 1 || effectiveConcurrency > ssh.MaxConcurrent)
        {
            throw NodeOpsException.BadRequest("max_concurrent", $"max_concurrent 必须在 1 到 {ssh.MaxConcurrent} 之间 (功能设置的上限)");
        }

        var nodes = await catalog.Nodes.ResolveAsync(clusterName, targetNodes, cancellationToken).ConfigureAwait(false);
        // Decrypting proves the credential exists now; the run decrypts it again when it starts.
        await catalog.Credentials.GetDecryptedAsync(credentialId, cancellationToken).ConfigureAwait(false);
        return (nodes, effectiveTimeout, effectiveConcurrency);
    }
}
