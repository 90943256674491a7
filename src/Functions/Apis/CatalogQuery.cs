using NodeOps.Catalog;
using NodeOps.Errors;
using NodeOps.Functions.Http;

namespace NodeOps.Functions.Apis;

/// <summary>The query parameters and version segments the three catalog APIs share.</summary>
internal static class CatalogQuery
{
    public static CatalogListFilter Filter(HttpRequest request, bool withLanguage = false)
    {
        ArgumentNullException.ThrowIfNull(request);
        string? language = null;
        if (withLanguage && request.Query["language"].ToString() is { Length: > 0 } text)
        {
            language = ScriptLanguages.IsKnown(text)
                ? text
                : throw NodeOpsException.BadRequest("language", $"未知语言 '{CatalogRules.Printable(text)}'，可选: {string.Join(", ", ScriptLanguages.All)}");
        }

        return new CatalogListFilter(
            CatalogRules.ParseCategoryFilter(request.Query["category"].ToString()),
            CatalogRules.ParseBoolFilter(request.Query["is_builtin"].ToString(), "is_builtin"),
            language);
    }

    public static int Version(string text)
    {
        var version = RouteIds.Parse(text, "version");
        return version <= int.MaxValue ? (int)version : throw NodeOpsException.BadRequest("version", "version 超出范围");
    }
}
