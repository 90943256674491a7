namespace NodeOps.Catalog;

/// <summary>What seeding did with one built-in item.</summary>
internal enum BuiltinSeedOutcome
{
    Created,
    Unchanged,
    Upgraded,

    /// <summary>The stored content differs from what was seeded: an operator changed it, so it is left alone.</summary>
    KeptUserChanges,

    /// <summary>A user item already has the built-in's name; the built-in is not seeded.</summary>
    NameTaken,

    /// <summary>The seeded item is gone; it is not brought back against the operator's will.</summary>
    Missing,
}
