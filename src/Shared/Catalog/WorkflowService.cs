using NodeOps.Audit;
using NodeOps.Auth;
using NodeOps.Errors;
using NodeOps.Json;
using NodeOps.Storage;
using NodeOps.Workflows;

namespace NodeOps.Catalog;

/// <summary>Workflow definitions: validated as a whole (every problem reported, with its step) and versioned.</summary>
internal sealed class WorkflowService(ITableStore store, SequenceGenerator sequences, TimeProvider time, WorkflowDefinitionValidator validator, AuditLog audit)
    : ICatalogItemService<Workflow, WorkflowSummary, WorkflowVersion, WorkflowInput>, IWorkflowSource
{
    private readonly CatalogStore _store = new(store, sequences, time, CatalogKind.Workflows);

    internal CatalogStore Store => _store;

    public async Task<CatalogPage<WorkflowSummary>> ListAsync(CatalogListFilter filter, int skip, int take, CancellationToken cancellationToken = default)
    {
        var entries = await _store.ListAsync(filter, cancellationToken).ConfigureAwait(false);
        return new CatalogPage<WorkflowSummary>(entries.Count, entries.Skip(skip).Take(take).Select(ToSummary).ToList());
    }

    public async Task<Workflow> GetAsync(long id, CancellationToken cancellationToken = default)
    {
        var entry = await _store.GetAsync(id, cancellationToken).ConfigureAwait(false);
        return ToView(entry, await ReadDefinitionAsync(entry, cancellationToken).ConfigureAwait(false));
    }

    public async Task<WorkflowSnapshot?> FindWorkflowAsync(long id, CancellationToken cancellationToken = default)
    {
        var entry = await _store.FindAsync(id, cancellationToken).ConfigureAwait(false);
        if (entry is not { IsActive: true })
        {
            return null;
        }

        return new WorkflowSnapshot(entry.Id, entry.Name, entry.Version, await ReadDefinitionAsync(entry, cancellationToken).ConfigureAwait(false));
    }

    public async Task<Workflow> CreateAsync(WorkflowInput input, Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(actor);
        await ValidateAsync(input, creating: true, cancellationToken).ConfigureAwait(false);
        var definition = input.Definition!;
        var draft = CatalogMetadata.Draft(input.Name!, input.Description, input.Category, input.Tags, input.IsActive) with { StepCount = definition.Steps!.Count };
        var entry = await _store.CreateAsync(draft, NodeOpsJson.Serialize(definition), actor.DisplayName, cancellationToken).ConfigureAwait(false);
        await audit.RecordAsync(CatalogKind.Workflows.AuditArea, "create", actor.DisplayName, CatalogMetadata.Describe(entry), cancellationToken).ConfigureAwait(false);
        return ToView(entry, definition);
    }

    public async Task<Workflow> UpdateAsync(long id, WorkflowInput input, Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(actor);
        await _store.GetAsync(id, cancellationToken).ConfigureAwait(false);
        await ValidateAsync(input, creating: false, cancellationToken).ConfigureAwait(false);
        var entry = await _store.UpdateAsync(
            id,
            e => CatalogMetadata.Apply(e, input.Name, input.Description, input.Category, input.Tags, input.IsActive) with { StepCount = input.Definition?.Steps?.Count ?? e.StepCount },
            input.Definition is null ? null : NodeOpsJson.Serialize(input.Definition),
            actor.DisplayName,
            cancellationToken).ConfigureAwait(false);
        await audit.RecordAsync(CatalogKind.Workflows.AuditArea, "update", actor.DisplayName, CatalogMetadata.Describe(entry), cancellationToken).ConfigureAwait(false);
        return ToView(entry, input.Definition ?? await ReadDefinitionAsync(entry, cancellationToken).ConfigureAwait(false));
    }

    public async Task DeleteAsync(long id, Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var entry = await _store.DeleteAsync(id, cancellationToken: cancellationToken).ConfigureAwait(false);
        await audit.RecordAsync(CatalogKind.Workflows.AuditArea, "delete", actor.DisplayName, CatalogMetadata.Describe(entry), cancellationToken).ConfigureAwait(false);
    }

    public async Task<CatalogPage<CatalogVersion>> ListVersionsAsync(long id, int skip, int take, CancellationToken cancellationToken = default)
    {
        var versions = await _store.ListVersionsAsync(id, cancellationToken).ConfigureAwait(false);
        return new CatalogPage<CatalogVersion>(versions.Count, versions.Skip(skip).Take(take).ToList());
    }

    public async Task<WorkflowVersion> GetVersionAsync(long id, int version, CancellationToken cancellationToken = default)
    {
        var (entry, info, text) = await _store.ReadVersionAsync(id, version, cancellationToken).ConfigureAwait(false);
        return new WorkflowVersion(entry.Id, entry.Name, info.Version, NodeOpsJson.Deserialize<WorkflowDefinition>(text), info.ContentHash, info.CreatedAt, info.CreatedBy);
    }

    private async Task<WorkflowDefinition> ReadDefinitionAsync(CatalogEntry entry, CancellationToken cancellationToken) =>
        NodeOpsJson.Deserialize<WorkflowDefinition>(await _store.ReadContentAsync(entry, cancellationToken).ConfigureAwait(false));

    private async Task ValidateAsync(WorkflowInput input, bool creating, CancellationToken cancellationToken)
    {
        var errors = new List<FieldError>();
        CatalogMetadata.Check(input.Name, input.Description, input.Category, input.Tags, creating, errors);
        if (creating || input.Definition is not null)
        {
            errors.AddRange(await validator.ValidateAsync(input.Definition, "definition", cancellationToken).ConfigureAwait(false));
        }

        WorkflowDefinitionValidator.ThrowIfAny(errors);
    }

    internal static Workflow ToView(CatalogEntry entry, WorkflowDefinition definition) => new(
        entry.Id, entry.Name, entry.Description, entry.Category, entry.IsBuiltin, entry.IsActive, entry.Version, entry.Tags,
        definition.Steps?.Count ?? 0, definition, entry.CreatedAt, entry.UpdatedAt, entry.CreatedBy, entry.UpdatedBy);

    private static WorkflowSummary ToSummary(CatalogEntry entry) => new(
        entry.Id, entry.Name, entry.Description, entry.Category, entry.IsBuiltin, entry.IsActive, entry.Version, entry.Tags,
        entry.StepCount ?? 0, entry.CreatedAt, entry.UpdatedAt);
}
