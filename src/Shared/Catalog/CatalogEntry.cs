namespace NodeOps.Catalog;

/// <summary>
/// The stored head of a playbook, script or workflow: what listings show and where its current content lives.
/// The content itself (playbook YAML, script with its parameters, workflow definition) is versioned text kept
/// apart, because it can be far larger than one table property.
/// </summary>
internal sealed record CatalogEntry
{
    public long Id { get; init; }

    public required string Name { get; init; }

    public string? Description { get; init; }

    public required string Category { get; init; }

    public IReadOnlyList<string> Tags { get; init; } = [];

    public bool IsBuiltin { get; init; }

    public bool IsActive { get; init; } = true;

    public int Version { get; init; }

    /// <summary>SHA-256 of the current content; a change of content is what bumps <see cref="Version"/>.</summary>
    public string ContentHash { get; init; } = "";

    /// <summary>The row prefix under which the current content is stored.</summary>
    public string ContentBlob { get; init; } = "";

    public long ContentLength { get; init; }

    /// <summary>When the current version was made; metadata-only updates leave it alone.</summary>
    public DateTimeOffset ContentUpdatedAt { get; init; }

    public string ContentUpdatedBy { get; init; } = "";

    /// <summary>The stable key of a built-in item ("playbook.system-upgrade"); null for items users made.</summary>
    public string? BuiltinKey { get; init; }

    /// <summary>Scripts only: shell or python.</summary>
    public string? Language { get; init; }

    /// <summary>Workflows only.</summary>
    public int? StepCount { get; init; }

    public DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset UpdatedAt { get; init; }

    public string CreatedBy { get; init; } = "";

    public string UpdatedBy { get; init; } = "";
}
