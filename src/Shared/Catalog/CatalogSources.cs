namespace NodeOps.Catalog;

/// <summary>A script as it was when a run took it: the run records <see cref="Version"/>.</summary>
public sealed record ScriptSnapshot(long Id, string Name, string Language, string Content, int Version, IReadOnlyList<ScriptParameter> Parameters);

/// <summary>A playbook as it was when a run took it.</summary>
public sealed record PlaybookSnapshot(long Id, string Name, string Content, int Version);

/// <summary>What the runners read from the catalog; the catalog's services implement it.</summary>
public interface ICatalogSource
{
    Task<ScriptSnapshot?> FindScriptAsync(long id, CancellationToken cancellationToken = default);

    Task<PlaybookSnapshot?> FindPlaybookAsync(long id, CancellationToken cancellationToken = default);
}
