namespace NodeOps.Catalog;

/// <summary>
/// The runners' view of the catalog: the current version of an active playbook or script. A deactivated item reads
/// as absent, so an operator can stop something from being run without deleting its history.
/// </summary>
internal sealed class CatalogSource(PlaybookService playbooks, ScriptService scripts) : ICatalogSource
{
    public async Task<PlaybookSnapshot?> FindPlaybookAsync(long id, CancellationToken cancellationToken = default)
    {
        var playbook = await playbooks.FindAsync(id, cancellationToken).ConfigureAwait(false);
        return playbook is { IsActive: true } ? new PlaybookSnapshot(playbook.Id, playbook.Name, playbook.Content, playbook.Version) : null;
    }

    public async Task<ScriptSnapshot?> FindScriptAsync(long id, CancellationToken cancellationToken = default)
    {
        var script = await scripts.FindAsync(id, cancellationToken).ConfigureAwait(false);
        return script is { IsActive: true } ? new ScriptSnapshot(script.Id, script.Name, script.Language, script.Content, script.Version, script.Parameters) : null;
    }
}
