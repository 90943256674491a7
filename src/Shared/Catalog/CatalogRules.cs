using System.Text;
using NodeOps.Errors;

namespace NodeOps.Catalog;

/// <summary>
/// Field rules shared by playbooks, scripts and workflows. Each check adds to a list, so one response names every
/// problem; list filters throw at once (a query string has nothing else to report).
/// </summary>
public static class CatalogRules
{
    public const int MaxNameLength = 128;
    public const int MaxDescriptionLength = 2000;
    public const int MaxTags = 20;
    public const int MaxTagLength = 32;

    /// <summary>Scripts and playbooks: 1 MiB of UTF-8.</summary>
    public const int MaxContentBytes = 1024 * 1024;

    public static void CheckName(string? name, List<FieldError> errors, string field = "name")
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (string.IsNullOrWhiteSpace(name))
        {
            errors.Add(new FieldError(field, "名称不能为空"));
            return;
        }

        if (name.Length > MaxNameLength)
        {
            errors.Add(new FieldError(field, $"名称最多 {MaxNameLength} 个字符"));
        }

        if (name.Any(char.IsControl))
        {
            errors.Add(new FieldError(field, "名称不能包含控制字符"));
        }

        if (name.AsSpan().IndexOfAny('/', '\\') >= 0)
        {
            errors.Add(new FieldError(field, "名称不能包含路径分隔符 / 或 \\"));
        }

        if (name != name.Trim())
        {
            errors.Add(new FieldError(field, "名称不能以空白开头或结尾"));
        }
    }

    public static void CheckDescription(string? description, List<FieldError> errors, string field = "description")
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (description is null)
        {
            return;
        }

        if (description.Length > MaxDescriptionLength)
        {
            errors.Add(new FieldError(field, $"描述最多 {MaxDescriptionLength} 个字符"));
        }

        if (description.Any(c => char.IsControl(c) && c is not ('\n' or '\r' or '\t')))
        {
            errors.Add(new FieldError(field, "描述不能包含控制字符"));
        }
    }

    public static void CheckCategory(string? category, List<FieldError> errors, string field = "category")
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (category is not null && !CatalogCategories.IsKnown(category))
        {
            errors.Add(new FieldError(field, UnknownCategoryMessage(category)));
        }
    }

    public static void CheckTags(IReadOnlyList<string>? tags, List<FieldError> errors, string field = "tags")
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (tags is null)
        {
            return;
        }

        if (tags.Count > MaxTags)
        {
            errors.Add(new FieldError(field, $"最多 {MaxTags} 个标签"));
            return;
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < tags.Count; i++)
        {
            var tag = tags[i];
            var at = $"{field}[{i}]";
            if (string.IsNullOrWhiteSpace(tag) || tag.Length > MaxTagLength)
            {
                errors.Add(new FieldError(at, $"标签长度必须在 1 到 {MaxTagLength} 个字符之间"));
            }
            else if (tag.Any(c => char.IsControl(c) || c is '/' or '\\' or ',') || tag != tag.Trim())
            {
                errors.Add(new FieldError(at, "标签不能包含控制字符、/、\\、逗号或首尾空白"));
            }
            else if (!seen.Add(tag))
            {
                errors.Add(new FieldError(at, $"标签 {tag} 重复"));
            }
        }
    }

    /// <summary>Non-empty text of at most 1 MiB of UTF-8, without NUL characters (no tool accepts them).</summary>
    public static void CheckContent(string? content, List<FieldError> errors, string field = "content")
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (string.IsNullOrWhiteSpace(content))
        {
            errors.Add(new FieldError(field, "内容不能为空"));
            return;
        }

        if (content.Length > MaxContentBytes || Encoding.UTF8.GetByteCount(content) > MaxContentBytes)
        {
            errors.Add(new FieldError(field, $"内容不能超过 {MaxContentBytes / 1024 / 1024} MiB (UTF-8)"));
        }

        if (content.Contains('\0', StringComparison.Ordinal))
        {
            errors.Add(new FieldError(field, "内容不能包含 NUL 字符"));
        }
    }

    /// <summary>Parses the list filter ?category=; unknown categories are a 400 naming the field.</summary>
    public static string? ParseCategoryFilter(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        return CatalogCategories.IsKnown(text) ? text : throw NodeOpsException.BadRequest("category", UnknownCategoryMessage(text));
    }

    /// <summary>Parses the list filter ?is_builtin=true|false.</summary>
    public static bool? ParseBoolFilter(string? text, string field)
    {
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        return text switch
        {
            "true" or "1" => true,
            "false" or "0" => false,
            _ => throw NodeOpsException.BadRequest(field, $"{field} 必须是 true 或 false"),
        };
    }

    private static string UnknownCategoryMessage(string category) =>
        $"未知分类 '{Printable(category)}'，可选: {string.Join(", ", CatalogCategories.All)}";

    /// <summary>Echoes caller text in a message only in a bounded, printable form.</summary>
    internal static string Printable(string text)
    {
        var clean = new string(text.Where(c => !char.IsControl(c)).Take(64).ToArray());
        return text.Length > 64 ? clean + "…" : clean;
    }
}
