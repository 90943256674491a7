using NodeOps.Audit;
using NodeOps.Auth;
using NodeOps.Errors;
using Microsoft.Extensions.Options;
using NodeOps.Runners.Ansible;
using NodeOps.Storage;

namespace NodeOps.Catalog;

/// <summary>Ansible playbooks: validated (YAML structure, then ansible-playbook --syntax-check) and versioned.</summary>
internal sealed class PlaybookService(ITableStore store, SequenceGenerator sequences, TimeProvider time, SyntaxChecker checker, AuditLog audit, IOptions<AnsibleOptions> ansible)
    : ICatalogItemService<Playbook, Playbook, PlaybookVersion, PlaybookInput>
{
    private readonly CatalogStore _store = new(store, sequences, time, CatalogKind.Playbooks);

    internal CatalogStore Store => _store;

    public async Task<CatalogPage<Playbook>> ListAsync(CatalogListFilter filter, int skip, int take, CancellationToken cancellationToken = default)
    {
        var entries = await _store.ListAsync(filter, cancellationToken).ConfigureAwait(false);
        var page = new List<Playbook>();
        foreach (var entry in entries.Skip(skip).Take(take))
        {
            page.Add(ToView(entry, await _store.ReadContentAsync(entry, cancellationToken).ConfigureAwait(false)));
        }

        return new CatalogPage<Playbook>(entries.Count, page);
    }

    public async Task<Playbook?> FindAsync(long id, CancellationToken cancellationToken = default)
    {
        var entry = await _store.FindAsync(id, cancellationToken).ConfigureAwait(false);
        return entry is null ? null : ToView(entry, await _store.ReadContentAsync(entry, cancellationToken).ConfigureAwait(false));
    }

    public async Task<Playbook> GetAsync(long id, CancellationToken cancellationToken = default)
    {
        var entry = await _store.GetAsync(id, cancellationToken).ConfigureAwait(false);
        return ToView(entry, await _store.ReadContentAsync(entry, cancellationToken).ConfigureAwait(false));
    }

    public async Task<Playbook> CreateAsync(PlaybookInput input, Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(actor);
        await ValidateAsync(input, creating: true, null, cancellationToken).ConfigureAwait(false);
        var draft = CatalogMetadata.Draft(input.Name!, input.Description, input.Category, input.Tags, input.IsActive);
        var entry = await _store.CreateAsync(draft, input.Content!, actor.DisplayName, cancellationToken).ConfigureAwait(false);
        await audit.RecordAsync(CatalogKind.Playbooks.AuditArea, "create", actor.DisplayName, CatalogMetadata.Describe(entry), cancellationToken).ConfigureAwait(false);
        return ToView(entry, input.Content!);
    }

    public async Task<Playbook> UpdateAsync(long id, PlaybookInput input, Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(actor);
        var current = await _store.GetAsync(id, cancellationToken).ConfigureAwait(false);
        await ValidateAsync(input, creating: false, current, cancellationToken).ConfigureAwait(false);
        var entry = await _store.UpdateAsync(id, e => CatalogMetadata.Apply(e, input.Name, input.Description, input.Category, input.Tags, input.IsActive), input.Content, actor.DisplayName, cancellationToken).ConfigureAwait(false);
        await audit.RecordAsync(CatalogKind.Playbooks.AuditArea, "update", actor.DisplayName, CatalogMetadata.Describe(entry), cancellationToken).ConfigureAwait(false);
        return ToView(entry, input.Content ?? await _store.ReadContentAsync(entry, cancellationToken).ConfigureAwait(false));
    }

    public async Task DeleteAsync(long id, Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var entry = await _store.DeleteAsync(id, cancellationToken: cancellationToken).ConfigureAwait(false);
        await audit.RecordAsync(CatalogKind.Playbooks.AuditArea, "delete", actor.DisplayName, CatalogMetadata.Describe(entry), cancellationToken).ConfigureAwait(false);
    }

    public async Task<CatalogPage<CatalogVersion>> ListVersionsAsync(long id, int skip, int take, CancellationToken cancellationToken = default)
    {
        var versions = await _store.ListVersionsAsync(id, cancellationToken).ConfigureAwait(false);
        return new CatalogPage<CatalogVersion>(versions.Count, versions.Skip(skip).Take(take).ToList());
    }

    public async Task<PlaybookVersion> GetVersionAsync(long id, int version, CancellationToken cancellationToken = default)
    {
        var (entry, info, content) = await _store.ReadVersionAsync(id, version, cancellationToken).ConfigureAwait(false);
        return new PlaybookVersion(entry.Id, entry.Name, info.Version, content, info.ContentHash, info.CreatedAt, info.CreatedBy);
    }

    /// <summary>Cheap rules first, all reported together; the syntax check only runs on content that is new.</summary>
    private async Task ValidateAsync(PlaybookInput input, bool creating, CatalogEntry? current, CancellationToken cancellationToken)
    {
        var errors = new List<FieldError>();
        CatalogMetadata.Check(input.Name, input.Description, input.Category, input.Tags, creating, errors);
        var contentChanged = input.Content is not null && (current is null || CatalogStore.Hash(input.Content) != current.ContentHash);
        if (creating || input.Content is not null)
        {
            CatalogRules.CheckContent(input.Content, errors);
            if (contentChanged && !errors.Any(e => e.Field == "content"))
            {
                var plays = PlaybookStructure.Check(input.Content!, errors);
                if (plays is not null && !ansible.Value.AllowControllerPlays && !errors.Any(e => e.Field == "content"))
                {
                    // No inventory yet: a name that looks like the controller's is refused here, and checked again,
                    // against the run's nodes, when the playbook runs.
                    PlaybookControllerRules.Check(plays, new HashSet<string>(), errors);
                }
            }
        }

        NodeOpsException.ThrowIfAny(errors);
        if (contentChanged)
        {
            await checker.CheckPlaybookAsync(input.Content!, cancellationToken).ConfigureAwait(false);
        }
    }

    internal static Playbook ToView(CatalogEntry entry, string content) => new(
        entry.Id, entry.Name, entry.Description, content, entry.Category, entry.IsBuiltin, entry.IsActive, entry.Version, entry.Tags,
        entry.CreatedAt, entry.UpdatedAt, entry.CreatedBy, entry.UpdatedBy);
}
