using System.Security.Cryptography;
using NodeOps.Audit;
using NodeOps.Auth;
using NodeOps.Catalog;
using NodeOps.Credentials;
using NodeOps.Errors;
using NodeOps.Json;
using NodeOps.Kubernetes;
using NodeOps.Secrets;
using NodeOps.Storage;

namespace NodeOps.Clusters;

/// <summary>
/// Registered clusters: name, optional kubeconfig (a secret, encrypted under a purpose naming the cluster), static
/// node inventory and default credential. Heads share one partition, so moving the default flag is one atomic batch;
/// inventory and kubeconfig are written under fresh row prefixes first and published by the head's conditional write.
/// </summary>
internal sealed class ClusterService(
    ITableStore store, ISecretProtector protector, CredentialService credentials, HostKeyPinStore pins, TimeProvider time, AuditLog audit)
    : IKubeconfigSource
{
    public const int MaxNodes = 1000;
    public const int MaxLabels = 64;
    public const int MaxKubeconfigBytes = 1024 * 1024;
    private const string Table = "clusters";
    private const string Heads = "clusters";
    private const int MaxAttempts = 10;

    public async Task<(int Total, IReadOnlyList<Cluster> Items)> ListAsync(int skip, int take, CancellationToken cancellationToken = default)
    {
        var all = await LoadAllAsync(cancellationToken).ConfigureAwait(false);
        return (all.Count, all.Skip(skip).Take(take).Select(r => ToView(r, null)).ToList());
    }

    public async Task<Cluster> GetAsync(string name, CancellationToken cancellationToken = default)
    {
        var record = await GetRecordAsync(name, cancellationToken).ConfigureAwait(false);
        return ToView(record, await ReadNodesAsync(record, cancellationToken).ConfigureAwait(false));
    }

    public async Task<(int Total, IReadOnlyList<ClusterNode> Items)> ListNodesAsync(string name, int skip, int take, CancellationToken cancellationToken = default)
    {
        var nodes = await ReadNodesAsync(await GetRecordAsync(name, cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
        return (nodes.Count, nodes.Skip(skip).Take(take).ToList());
    }

    /// <summary>The static inventory of a cluster; null when the cluster does not exist.</summary>
    public async Task<IReadOnlyList<ClusterNode>?> FindNodesAsync(string name, CancellationToken cancellationToken = default)
    {
        var record = await FindRecordAsync(name, cancellationToken).ConfigureAwait(false);
        return record is null ? null : await ReadNodesAsync(record, cancellationToken).ConfigureAwait(false);
    }

    public async Task<bool> ExistsAsync(string name, CancellationToken cancellationToken = default) =>
        await FindRecordAsync(name, cancellationToken).ConfigureAwait(false) is not null;

    public async Task<Cluster> CreateAsync(ClusterInput input, Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(actor);
        await ValidateAsync(input, creating: true, cancellationToken).ConfigureAwait(false);
        var name = input.Name!;
        if (await FindRecordAsync(name, cancellationToken).ConfigureAwait(false) is not null)
        {
            throw NodeOpsException.Conflict($"集群 {name} 已存在", "name");
        }

        var now = time.GetUtcNow();
        var nodes = input.Nodes ?? [];
        var record = new ClusterRecord(name, NullIfEmpty(input.Description), input.IsDefault ?? false, input.DefaultCredentialId is > 0 ? input.DefaultCredentialId : null,
            nodes.Count, await WriteNodesAsync(name, nodes, cancellationToken).ConfigureAwait(false),
            string.IsNullOrEmpty(input.Kubeconfig) ? null : await WriteKubeconfigAsync(name, input.Kubeconfig, cancellationToken).ConfigureAwait(false),
            now, now, actor.DisplayName, actor.DisplayName);
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            var operations = new List<TableOperation> { TableOperation.Insert(ToEntity(record)) };
            operations.AddRange(await ClearOtherDefaultsAsync(record, cancellationToken).ConfigureAwait(false));
            try
            {
                await store.ExecuteBatchAsync(Table, operations, cancellationToken).ConfigureAwait(false);
            }
            catch (BatchFailedException ex) when (ex.FailedIndex == 0)
            {
                await DeleteBlobsAsync(name, [record.InventoryBlob, record.KubeconfigBlob]).ConfigureAwait(false);
                throw NodeOpsException.Conflict($"集群 {name} 已存在", "name");
            }
            catch (BatchFailedException)
            {
                continue;
            }

            await audit.RecordAsync("clusters", "create", actor.DisplayName, Describe(record), cancellationToken).ConfigureAwait(false);
            return ToView(record, nodes);
        }

        await DeleteBlobsAsync(name, [record.InventoryBlob, record.KubeconfigBlob]).ConfigureAwait(false);
        throw NodeOpsException.Conflict("集群正被并发修改，请重试");
    }

    public async Task<Cluster> UpdateAsync(string name, ClusterInput input, Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(actor);
        EnsureName(name);
        if (input.Name is not null && input.Name != name)
        {
            throw NodeOpsException.Invalid("name", "集群名不能修改");
        }

        await ValidateAsync(input, creating: false, cancellationToken).ConfigureAwait(false);
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            var entity = await store.GetAsync(Table, Heads, Row(name), cancellationToken).ConfigureAwait(false) ?? throw NotFound(name);
            var current = DocumentTable.FromEntity<ClusterRecord>(entity);
            var inventory = input.Nodes is null ? current.InventoryBlob : await WriteNodesAsync(name, input.Nodes, cancellationToken).ConfigureAwait(false);
            var kubeconfig = input.Kubeconfig switch
            {
                null => current.KubeconfigBlob,
                "" => null,
                var text => await WriteKubeconfigAsync(name, text, cancellationToken).ConfigureAwait(false),
            };
            var updated = current with
            {
                Description = input.Description is null ? current.Description : NullIfEmpty(input.Description),
                IsDefault = input.IsDefault ?? current.IsDefault,
                DefaultCredentialId = input.DefaultCredentialId switch { null => current.DefaultCredentialId, 0 => null, var id => id },
                NodeCount = input.Nodes?.Count ?? current.NodeCount,
                InventoryBlob = inventory,
                KubeconfigBlob = kubeconfig,
                UpdatedAt = time.GetUtcNow(),
                UpdatedBy = actor.DisplayName,
            };
            var fresh = new[] { inventory == current.InventoryBlob ? null : inventory, kubeconfig == current.KubeconfigBlob ? null : kubeconfig };
            var operations = new List<TableOperation> { TableOperation.Replace(ToEntity(updated), entity.ETag) };
            operations.AddRange(await ClearOtherDefaultsAsync(updated, cancellationToken).ConfigureAwait(false));
            try
            {
                await store.ExecuteBatchAsync(Table, operations, cancellationToken).ConfigureAwait(false);
            }
            catch (BatchFailedException)
            {
                await DeleteBlobsAsync(name, fresh).ConfigureAwait(false);
                continue;
            }

            // The replaced inventory and kubeconfig are no longer reachable from the head.
            await DeleteBlobsAsync(name, [inventory == current.InventoryBlob ? null : current.InventoryBlob, kubeconfig == current.KubeconfigBlob ? null : current.KubeconfigBlob]).ConfigureAwait(false);
            var action = input.Kubeconfig is null ? "update" : input.Kubeconfig.Length == 0 ? "remove_kubeconfig" : "set_kubeconfig";
            await audit.RecordAsync("clusters", action, actor.DisplayName, Describe(updated), cancellationToken).ConfigureAwait(false);
            return ToView(updated, await ReadNodesAsync(updated, cancellationToken).ConfigureAwait(false));
        }

        throw NodeOpsException.Conflict($"集群 {name} 正被并发修改，请重试");
    }

    /// <summary>Deletes the cluster, its inventory, its kubeconfig and its pinned host keys.</summary>
    public async Task DeleteAsync(string name, Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var entity = await store.GetAsync(Table, Heads, Row(EnsureName(name)), cancellationToken).ConfigureAwait(false) ?? throw NotFound(name);
        try
        {
            await store.DeleteAsync(Table, Heads, Row(name), entity.ETag, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is PreconditionFailedException or EntityNotFoundException)
        {
            throw NodeOpsException.Conflict($"集群 {name} 正被并发修改，请重试");
        }

        foreach (var row in await store.QueryListAsync(Table, TableQuery.Partition(BlobPartition(name)), cancellationToken).ConfigureAwait(false))
        {
            await DeleteQuietlyAsync(row.PartitionKey, row.RowKey).ConfigureAwait(false);
        }

        foreach (var pin in await pins.ListAsync(name, cancellationToken).ConfigureAwait(false))
        {
            await pins.ClearAsync(name, pin.NodeName, cancellationToken).ConfigureAwait(false);
        }

        await audit.RecordAsync("clusters", "delete", actor.DisplayName, name, cancellationToken).ConfigureAwait(false);
    }

    public async Task<string?> GetKubeconfigAsync(string? clusterName, CancellationToken cancellationToken = default)
    {
        ClusterRecord? record;
        if (clusterName is null)
        {
            var all = await LoadAllAsync(cancellationToken).ConfigureAwait(false);
            record = all.FirstOrDefault(c => c.IsDefault) ?? (all.Count == 1 ? all[0] : null);
            if (record is null)
            {
                return null;
            }
        }
        else
        {
            record = await GetRecordAsync(clusterName, cancellationToken).ConfigureAwait(false);
        }

        if (record.KubeconfigBlob is null)
        {
            return null;
        }

        var ciphertext = await LargeText.ReadAsync(store, Table, BlobPartition(record.Name), KubeconfigPrefix(record.KubeconfigBlob), cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidDataException($"Cluster {record.Name} has lost its kubeconfig rows.");
        try
        {
            return protector.Unprotect(ciphertext, KubeconfigPurpose(record.Name));
        }
        catch (CryptographicException)
        {
            throw new NodeOpsException(ErrorKind.Unavailable, $"集群 {record.Name} 的 kubeconfig 无法解密：主密钥不匹配或数据已损坏");
        }
    }

    public async Task<(int Total, IReadOnlyList<HostKeyPin> Items)> ListHostKeysAsync(string name, int skip, int take, CancellationToken cancellationToken = default)
    {
        await GetRecordAsync(name, cancellationToken).ConfigureAwait(false);
        var all = (await pins.ListAsync(name, cancellationToken).ConfigureAwait(false)).OrderBy(p => p.NodeName, StringComparer.Ordinal).ToList();
        return (all.Count, all.Skip(skip).Take(take).ToList());
    }

    /// <summary>Clears a node's pinned host key, so the next contact pins the key the node presents then.</summary>
    public async Task ClearHostKeyAsync(string name, string nodeName, Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        await GetRecordAsync(name, cancellationToken).ConfigureAwait(false);
        if (!ClusterNames.IsValidNodeName(nodeName))
        {
            throw NodeOpsException.BadRequest("node", ClusterNames.NodeNameRule);
        }

        if (!await pins.ClearAsync(name, nodeName, cancellationToken).ConfigureAwait(false))
        {
            throw NodeOpsException.NotFound($"节点 {nodeName} 没有已固定的主机密钥");
        }

        await audit.RecordAsync("clusters", "clear_host_key", actor.DisplayName, $"{name}/{nodeName}", cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Throws 400 on "name" for a name that cannot be a cluster's (used for path segments too).</summary>
    public static string EnsureName(string? name, string field = "name") =>
        ClusterNames.IsValidClusterName(name) ? name! : throw NodeOpsException.BadRequest(field, ClusterNames.ClusterNameRule);

    private async Task ValidateAsync(ClusterInput input, bool creating, CancellationToken cancellationToken)
    {
        var errors = new List<FieldError>();
        if (creating && !ClusterNames.IsValidClusterName(input.Name))
        {
            errors.Add(new FieldError("name", ClusterNames.ClusterNameRule));
        }

        CatalogRules.CheckDescription(input.Description, errors);
        if (!string.IsNullOrEmpty(input.Kubeconfig))
        {
            CheckKubeconfig(input.Kubeconfig, errors);
        }

        CheckNodes(input.Nodes, errors);
        if (input.DefaultCredentialId is < 0 || (creating && input.DefaultCredentialId is 0))
        {
            errors.Add(new FieldError("default_credential_id", "default_credential_id 必须是正整数"));
        }
        else if (input.DefaultCredentialId is > 0 and var id && !await credentials.ExistsAsync(id, cancellationToken).ConfigureAwait(false))
        {
            errors.Add(new FieldError("default_credential_id", $"凭据 ID {id} 不存在"));
        }

        NodeOpsException.ThrowIfAny(errors);
    }

    /// <summary>
    /// A kubeconfig must parse (with the same reader the Kubernetes client uses) and define at least one context.
    /// Messages never quote it: it is a secret.
    /// </summary>
    private static void CheckKubeconfig(string kubeconfig, List<FieldError> errors)
    {
        if (System.Text.Encoding.UTF8.GetByteCount(kubeconfig) > MaxKubeconfigBytes)
        {
            errors.Add(new FieldError("kubeconfig", "kubeconfig 不能超过 1 MiB"));
            return;
        }

        try
        {
            if (Kubeconfig.ListContexts(kubeconfig).Contexts.Count == 0)
            {
                errors.Add(new FieldError("kubeconfig", "kubeconfig 没有定义任何 context"));
            }
        }
        catch (KubeconfigException ex)
        {
            errors.Add(new FieldError("kubeconfig", "kubeconfig 无法解析: " + ex.Message));
        }
    }

    private static void CheckNodes(IReadOnlyList<ClusterNode>? nodes, List<FieldError> errors)
    {
        if (nodes is null)
        {
            return;
        }

        if (nodes.Count > MaxNodes)
        {
            errors.Add(new FieldError("nodes", $"静态节点最多 {MaxNodes} 个"));
            return;
        }

        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < nodes.Count; i++)
        {
            var node = nodes[i];
            var at = $"nodes[{i}]";
            if (node is null)
            {
                errors.Add(new FieldError(at, "节点不能为 null"));
                continue;
            }

            if (!ClusterNames.IsValidNodeName(node.Name))
            {
                errors.Add(new FieldError(at + ".name", ClusterNames.NodeNameRule));
            }
            else if (!names.Add(node.Name))
            {
                errors.Add(new FieldError(at + ".name", $"节点名 {node.Name} 重复"));
            }

            if (!ClusterNames.IsValidAddress(node.Address))
            {
                errors.Add(new FieldError(at + ".address", "address 必须是 IP 地址或主机名"));
            }

            // 0 leaves the port to the credential, so one credential can carry a non-standard port for a fleet.
            if (node.Port is < 0 or > 65535)
            {
                errors.Add(new FieldError(at + ".port", "port 必须在 1 到 65535 之间（0 表示使用凭据的端口）"));
            }

            var labels = node.Labels ?? new Dictionary<string, string>();
            if (labels.Count > MaxLabels)
            {
                errors.Add(new FieldError(at + ".labels", $"最多 {MaxLabels} 个标签"));
            }

            foreach (var (key, value) in labels)
            {
                if (!ClusterNames.IsValidLabelKey(key) || !ClusterNames.IsValidLabelValue(value))
                {
                    errors.Add(new FieldError(at + ".labels", $"标签 '{CatalogRules.Printable(key)}' 不符合 Kubernetes 标签格式"));
                }
            }
        }
    }

    private async Task<string> WriteNodesAsync(string name, IReadOnlyList<ClusterNode> nodes, CancellationToken cancellationToken)
    {
        var blob = Guid.NewGuid().ToString("N");
        var normalized = nodes.Select(n => n with { Labels = n.Labels ?? new Dictionary<string, string>() }).ToList();
        await LargeText.WriteAsync(store, Table, BlobPartition(name), InventoryPrefix(blob), NodeOpsJson.Serialize(normalized), cancellationToken).ConfigureAwait(false);
        return blob;
    }

    private async Task<string> WriteKubeconfigAsync(string name, string kubeconfig, CancellationToken cancellationToken)
    {
        var blob = Guid.NewGuid().ToString("N");
        var ciphertext = protector.Protect(kubeconfig, KubeconfigPurpose(name));
        await LargeText.WriteAsync(store, Table, BlobPartition(name), KubeconfigPrefix(blob), ciphertext, cancellationToken).ConfigureAwait(false);
        return blob;
    }

    private async Task<IReadOnlyList<ClusterNode>> ReadNodesAsync(ClusterRecord record, CancellationToken cancellationToken)
    {
        if (record.InventoryBlob is null)
        {
            return [];
        }

        var json = await LargeText.ReadAsync(store, Table, BlobPartition(record.Name), InventoryPrefix(record.InventoryBlob), cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidDataException($"Cluster {record.Name} has lost its inventory rows.");
        return NodeOpsJson.Deserialize<List<ClusterNode>>(json);
    }

    private async Task DeleteBlobsAsync(string name, IEnumerable<string?> blobs)
    {
        foreach (var blob in blobs.OfType<string>())
        {
            // Not the caller's token: an abandoned request should still not leave orphans behind.
            await LargeText.DeleteAsync(store, Table, BlobPartition(name), InventoryPrefix(blob), CancellationToken.None).ConfigureAwait(false);
            await LargeText.DeleteAsync(store, Table, BlobPartition(name), KubeconfigPrefix(blob), CancellationToken.None).ConfigureAwait(false);
        }
    }

    private async Task<List<TableOperation>> ClearOtherDefaultsAsync(ClusterRecord record, CancellationToken cancellationToken)
    {
        var operations = new List<TableOperation>();
        if (!record.IsDefault)
        {
            return operations;
        }

        var query = TableQuery.Partition(Heads).WithRowKeyPrefix("c-").Where("is_default", FilterOperator.Equal, true);
        foreach (var entity in await store.QueryListAsync(Table, query, cancellationToken).ConfigureAwait(false))
        {
            var other = DocumentTable.FromEntity<ClusterRecord>(entity);
            if (other.Name != record.Name)
            {
                operations.Add(TableOperation.Replace(ToEntity(other with { IsDefault = false }), entity.ETag));
            }
        }

        return operations;
    }

    private async Task<ClusterRecord?> FindRecordAsync(string name, CancellationToken cancellationToken)
    {
        if (!ClusterNames.IsValidClusterName(name))
        {
            return null;
        }

        var entity = await store.GetAsync(Table, Heads, Row(name), cancellationToken).ConfigureAwait(false);
        return entity is null ? null : DocumentTable.FromEntity<ClusterRecord>(entity);
    }

    private async Task<ClusterRecord> GetRecordAsync(string name, CancellationToken cancellationToken)
    {
        EnsureName(name);
        return await FindRecordAsync(name, cancellationToken).ConfigureAwait(false) ?? throw NotFound(name);
    }

    private async Task<List<ClusterRecord>> LoadAllAsync(CancellationToken cancellationToken)
    {
        var entities = await store.QueryListAsync(Table, TableQuery.Partition(Heads).WithRowKeyPrefix("c-"), cancellationToken).ConfigureAwait(false);
        return entities.Select(DocumentTable.FromEntity<ClusterRecord>).OrderBy(c => c.Name, StringComparer.Ordinal).ToList();
    }

    private async Task DeleteQuietlyAsync(string partitionKey, string rowKey)
    {
        try
        {
            await store.DeleteAsync(Table, partitionKey, rowKey, "*", CancellationToken.None).ConfigureAwait(false);
        }
        catch (EntityNotFoundException)
        {
        }
    }

    private static Cluster ToView(ClusterRecord record, IReadOnlyList<ClusterNode>? nodes) => new(
        record.Name, record.Description, record.IsDefault, record.DefaultCredentialId, record.KubeconfigBlob is not null, record.NodeCount, nodes,
        record.CreatedAt, record.UpdatedAt, record.CreatedBy, record.UpdatedBy);

    private static TableEntity ToEntity(ClusterRecord record) =>
        DocumentTable.ToEntity(Heads, Row(record.Name), record, new Dictionary<string, object?> { ["is_default"] = record.IsDefault });

    private static string Describe(ClusterRecord record) =>
        $"{record.Name} (nodes {record.NodeCount}, kubeconfig {(record.KubeconfigBlob is null ? "no" : "yes")}, default {record.IsDefault})";

    private static NodeOpsException NotFound(string name) => NodeOpsException.NotFound($"集群 {name} 不存在");

    private static string? NullIfEmpty(string? text) => string.IsNullOrEmpty(text) ? null : text;

    private static string Row(string name) => "c-" + name;

    private static string BlobPartition(string name) => "b-" + name;

    private static string InventoryPrefix(string blob) => "n-" + blob + "-";

    private static string KubeconfigPrefix(string blob) => "k-" + blob + "-";

    private static string KubeconfigPurpose(string name) => "cluster:" + name + ":kubeconfig";
}
