namespace NodeOps.Catalog;

/// <summary>
/// The categories playbooks, scripts and workflows are filed under. A closed list, so a typo in a filter or a
/// create request is an error rather than a category nobody finds again.
/// </summary>
public static class CatalogCategories
{
    public const string Default = "custom";

    public static IReadOnlyList<string> All { get; } =
    [
        "system", "security", "configuration", "maintenance", "diagnosis", "monitoring", "network", "storage", "runtime", "backup", "custom",
    ];

    public static bool IsKnown(string? category) => category is not null && All.Contains(category, StringComparer.Ordinal);
}
