using NodeOps.Audit;
using NodeOps.Auth;
using NodeOps.Errors;
using NodeOps.Json;
using NodeOps.Storage;

namespace NodeOps.Features;

/// <summary>
/// Reads and changes the feature settings. Reads are cached for a moment because every automation request
/// checks a switch; a change made on another instance is seen within <see cref="CacheFor"/>.
/// </summary>
public sealed class FeatureService(ITableStore store, AuditLog audit, TimeProvider time)
{
    public static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(2);
    private const string Table = "settings";
    private const string Partition = "features";
    private const string Row = "current";
    private (FeatureSettings Settings, DateTimeOffset ReadAt)? _cached;

    public async Task<FeatureSettings> GetAsync(CancellationToken cancellationToken = default)
    {
        var cached = _cached;
        if (cached is { } c && time.GetUtcNow() - c.ReadAt < CacheFor)
        {
            return c.Settings;
        }

        var entity = await store.GetAsync(Table, Partition, Row, cancellationToken).ConfigureAwait(false);
        var settings = entity is null ? new FeatureSettings() : DocumentTable.FromEntity<FeatureSettings>(entity);
        _cached = (settings, time.GetUtcNow());
        return settings;
    }

    /// <summary>Throws the spec's 403 "功能未启用" when the capability, or automation as a whole, is off.</summary>
    public async Task EnsureEnabledAsync(Capability capability, CancellationToken cancellationToken = default)
    {
        var switches = (await GetAsync(cancellationToken).ConfigureAwait(false)).Automation;
        if (!switches.Enabled)
        {
            throw new NodeOpsException(ErrorKind.FeatureDisabled, "自动化功能未启用，请联系管理员");
        }

        var (enabled, label) = capability switch
        {
            Capability.Ansible => (switches.AnsibleEnabled, "Ansible"),
            Capability.Ssh => (switches.SshEnabled, "SSH"),
            Capability.Scripts => (switches.ScriptsEnabled, "脚本"),
            Capability.Workflows => (switches.WorkflowsEnabled, "工作流"),
            _ => (true, ""),
        };
        if (!enabled)
        {
            throw new NodeOpsException(ErrorKind.FeatureDisabled, $"{label}功能未启用，请联系管理员");
        }
    }

    /// <summary>Applies a validated change under optimistic concurrency and records who made it.</summary>
    public async Task<FeatureSettings> UpdateAsync(Func<FeatureSettings, FeatureSettings> change, Actor actor, string what, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(change);
        ArgumentNullException.ThrowIfNull(actor);
        for (var attempt = 0; attempt < 10; attempt++)
        {
            var entity = await store.GetAsync(Table, Partition, Row, cancellationToken).ConfigureAwait(false);
            var current = entity is null ? new FeatureSettings() : DocumentTable.FromEntity<FeatureSettings>(entity);
            var updated = change(current);
            FeatureValidator.Validate(updated);
            var next = DocumentTable.ToEntity(Partition, Row, updated);
            try
            {
                if (entity is null)
                {
                    await store.InsertAsync(Table, next, cancellationToken).ConfigureAwait(false);
                }
                else
                {
                    await store.ReplaceAsync(Table, next, entity.ETag, cancellationToken).ConfigureAwait(false);
                }
            }
            catch (Exception ex) when (ex is PreconditionFailedException or EntityAlreadyExistsException)
            {
                continue;
            }

            _cached = (updated, time.GetUtcNow());
            await audit.RecordAsync("features", what, actor.DisplayName, NodeOpsJson.Serialize(updated), cancellationToken).ConfigureAwait(false);
            return updated;
        }

        throw NodeOpsException.Conflict("功能设置正被并发修改，请重试");
    }
}
