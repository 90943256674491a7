using NodeOps.Errors;

namespace NodeOps.Catalog;

/// <summary>The fields every catalog item shares, checked and applied the same way for all three kinds.</summary>
internal static class CatalogMetadata
{
    public static void Check(string? name, string? description, string? category, IReadOnlyList<string>? tags, bool creating, List<FieldError> errors)
    {
        if (creating || name is not null)
        {
            CatalogRules.CheckName(name, errors);
        }

        CatalogRules.CheckDescription(description, errors);
        CatalogRules.CheckCategory(category, errors);
        CatalogRules.CheckTags(tags, errors);
    }

    public static CatalogEntry Draft(string name, string? description, string? category, IReadOnlyList<string>? tags, bool? isActive) => new()
    {
        Name = name,
        Description = description,
        Category = category ?? CatalogCategories.Default,
        Tags = tags ?? [],
        IsActive = isActive ?? true,
    };

    public static CatalogEntry Apply(CatalogEntry entry, string? name, string? description, string? category, IReadOnlyList<string>? tags, bool? isActive) => entry with
    {
        Name = name ?? entry.Name,
        Description = description ?? entry.Description,
        Category = category ?? entry.Category,
        Tags = tags ?? entry.Tags,
        IsActive = isActive ?? entry.IsActive,
    };

    /// <summary>What audit records say about an item: never its content.</summary>
    public static string Describe(CatalogEntry entry) => $"{entry.Id} {entry.Name} v{entry.Version}";
}
