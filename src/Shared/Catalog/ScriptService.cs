using NodeOps.Audit;
using NodeOps.Auth;
using NodeOps.Errors;
using NodeOps.Json;
using NodeOps.Storage;

namespace NodeOps.Catalog;

/// <summary>Shell and Python scripts with declared parameters: checked with bash -n or Python's compile, versioned.</summary>
internal sealed class ScriptService(ITableStore store, SequenceGenerator sequences, TimeProvider time, SyntaxChecker checker, AuditLog audit)
    : ICatalogItemService<Script, ScriptSummary, ScriptVersion, ScriptInput>
{
    private readonly CatalogStore _store = new(store, sequences, time, CatalogKind.Scripts);

    internal CatalogStore Store => _store;

    public async Task<CatalogPage<ScriptSummary>> ListAsync(CatalogListFilter filter, int skip, int take, CancellationToken cancellationToken = default)
    {
        var entries = await _store.ListAsync(filter, cancellationToken).ConfigureAwait(false);
        return new CatalogPage<ScriptSummary>(entries.Count, entries.Skip(skip).Take(take).Select(ToSummary).ToList());
    }

    public async Task<Script?> FindAsync(long id, CancellationToken cancellationToken = default)
    {
        var entry = await _store.FindAsync(id, cancellationToken).ConfigureAwait(false);
        return entry is null ? null : ToView(entry, await ReadPayloadAsync(entry, cancellationToken).ConfigureAwait(false));
    }

    public async Task<Script> GetAsync(long id, CancellationToken cancellationToken = default)
    {
        var entry = await _store.GetAsync(id, cancellationToken).ConfigureAwait(false);
        return ToView(entry, await ReadPayloadAsync(entry, cancellationToken).ConfigureAwait(false));
    }

    public async Task<Script> CreateAsync(ScriptInput input, Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(actor);
        var payload = new ScriptPayload(input.Language ?? "", input.Content ?? "", input.Parameters ?? []);
        await ValidateAsync(input, payload, creating: true, null, cancellationToken).ConfigureAwait(false);
        var draft = CatalogMetadata.Draft(input.Name!, input.Description, input.Category, input.Tags, input.IsActive) with { Language = payload.Language };
        var entry = await _store.CreateAsync(draft, NodeOpsJson.Serialize(payload), actor.DisplayName, cancellationToken).ConfigureAwait(false);
        await audit.RecordAsync(CatalogKind.Scripts.AuditArea, "create", actor.DisplayName, CatalogMetadata.Describe(entry), cancellationToken).ConfigureAwait(false);
        return ToView(entry, payload);
    }

    public async Task<Script> UpdateAsync(long id, ScriptInput input, Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(actor);
        var current = await _store.GetAsync(id, cancellationToken).ConfigureAwait(false);
        var before = await ReadPayloadAsync(current, cancellationToken).ConfigureAwait(false);
        var payload = new ScriptPayload(input.Language ?? before.Language, input.Content ?? before.Content, input.Parameters ?? before.Parameters);
        await ValidateAsync(input, payload, creating: false, before, cancellationToken).ConfigureAwait(false);
        var entry = await _store.UpdateAsync(
            id,
            e => CatalogMetadata.Apply(e, input.Name, input.Description, input.Category, input.Tags, input.IsActive) with { Language = payload.Language },
            NodeOpsJson.Serialize(payload),
            actor.DisplayName,
            cancellationToken).ConfigureAwait(false);
        await audit.RecordAsync(CatalogKind.Scripts.AuditArea, "update", actor.DisplayName, CatalogMetadata.Describe(entry), cancellationToken).ConfigureAwait(false);
        return ToView(entry, payload);
    }

    public async Task DeleteAsync(long id, Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var entry = await _store.DeleteAsync(id, cancellationToken: cancellationToken).ConfigureAwait(false);
        await audit.RecordAsync(CatalogKind.Scripts.AuditArea, "delete", actor.DisplayName, CatalogMetadata.Describe(entry), cancellationToken).ConfigureAwait(false);
    }

    public async Task<CatalogPage<CatalogVersion>> ListVersionsAsync(long id, int skip, int take, CancellationToken cancellationToken = default)
    {
        var versions = await _store.ListVersionsAsync(id, cancellationToken).ConfigureAwait(false);
        return new CatalogPage<CatalogVersion>(versions.Count, versions.Skip(skip).Take(take).ToList());
    }

    public async Task<ScriptVersion> GetVersionAsync(long id, int version, CancellationToken cancellationToken = default)
    {
        var (entry, info, text) = await _store.ReadVersionAsync(id, version, cancellationToken).ConfigureAwait(false);
        var payload = NodeOpsJson.Deserialize<ScriptPayload>(text);
        return new ScriptVersion(entry.Id, entry.Name, info.Version, payload.Language, payload.Content, payload.Parameters, info.ContentHash, info.CreatedAt, info.CreatedBy);
    }

    private async Task<ScriptPayload> ReadPayloadAsync(CatalogEntry entry, CancellationToken cancellationToken) =>
        NodeOpsJson.Deserialize<ScriptPayload>(await _store.ReadContentAsync(entry, cancellationToken).ConfigureAwait(false));

    private async Task ValidateAsync(ScriptInput input, ScriptPayload payload, bool creating, ScriptPayload? before, CancellationToken cancellationToken)
    {
        var errors = new List<FieldError>();
        CatalogMetadata.Check(input.Name, input.Description, input.Category, input.Tags, creating, errors);
        if (creating || input.Language is not null)
        {
            if (!ScriptLanguages.IsKnown(input.Language))
            {
                errors.Add(new FieldError("language", $"未知语言 '{CatalogRules.Printable(input.Language ?? "")}'，可选: {string.Join(", ", ScriptLanguages.All)}"));
            }
        }

        if (creating || input.Content is not null)
        {
            CatalogRules.CheckContent(input.Content, errors);
        }

        ScriptParameterRules.Check(input.Parameters, errors);
        NodeOpsException.ThrowIfAny(errors);

        // Re-check when the text or the language it is read in changed.
        if (before is null || before.Content != payload.Content || before.Language != payload.Language)
        {
            await checker.CheckScriptAsync(payload.Language, payload.Content, cancellationToken).ConfigureAwait(false);
        }
    }

    internal static Script ToView(CatalogEntry entry, ScriptPayload payload) => new(
        entry.Id, entry.Name, entry.Description, payload.Content, payload.Language, entry.Category, entry.IsBuiltin, entry.IsActive, entry.Version,
        entry.Tags, payload.Parameters, entry.CreatedAt, entry.UpdatedAt, entry.CreatedBy, entry.UpdatedBy);

    private static ScriptSummary ToSummary(CatalogEntry entry) => new(
        entry.Id, entry.Name, entry.Description, entry.Language ?? ScriptLanguages.Shell, entry.Category, entry.IsBuiltin, entry.IsActive, entry.Version,
        entry.Tags, entry.CreatedAt, entry.UpdatedAt);
}
