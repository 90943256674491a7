using NodeOps.Errors;

namespace NodeOps.Functions.Http;

/// <summary>The spec's page and page_size, validated once for every list: page from 1, page_size 1 to 100.</summary>
internal sealed record Paging(int Page, int PageSize)
{
    public const int MaxPageSize = 100;
    public const int DefaultPageSize = 20;

    public int Skip => (Page - 1) * PageSize;

    public static Paging From(string? page, string? pageSize)
    {
        var p = Parse(page, "page", 1);
        var size = Parse(pageSize, "page_size", DefaultPageSize);
        if (p < 1)
        {
            throw NodeOpsException.BadRequest("page", "page 必须大于等于 1");
        }

        if (size is < 1 or > MaxPageSize)
        {
            throw NodeOpsException.BadRequest("page_size", $"page_size 必须在 1 到 {MaxPageSize} 之间");
        }

        return new Paging(p, size);
    }

    /// <summary>Binds from the query string: ?page=..&amp;page_size=..</summary>
    public static Paging From(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return From(request.Query["page"].ToString(), request.Query["page_size"].ToString());
    }

    public IEnumerable<T> Apply<T>(IEnumerable<T> items) => items.Skip(Skip).Take(PageSize);

    private static int Parse(string? text, string field, int fallback)
    {
        if (string.IsNullOrEmpty(text))
        {
            return fallback;
        }

        return int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var value)
            ? value
            : throw NodeOpsException.BadRequest(field, $"{field} 必须是正整数");
    }
}
