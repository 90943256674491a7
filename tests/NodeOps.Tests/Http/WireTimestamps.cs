using System.Text.Json;
using System.Text.RegularExpressions;

namespace NodeOps.Tests.Http;

/// <summary>Finds every timestamp in a JSON document and holds it to the one wire form: UTC, "Z", at most milliseconds.</summary>
public static partial class WireTimestamps
{
    /// <summary>Asserts every timestamp in the body is strict; returns how many there were.</summary>
    public static int AssertAllStrict(JsonElement root, string context)
    {
        var found = 0;
        Walk(root, null, ref found, context);
        return found;
    }

    private static void Walk(JsonElement element, string? name, ref int found, string context)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    Walk(property.Value, property.Name, ref found, context);
                }

                break;
            case JsonValueKind.Array:
                foreach (var item in element.EnumerateArray())
                {
                    Walk(item, name, ref found, context);
                }

                break;
            case JsonValueKind.String:
                var text = element.GetString()!;
                var named = name is not null && (name == "timestamp" || name.EndsWith("_at", StringComparison.Ordinal));
                if (LooksLikeTimestamp().IsMatch(text) || (named && text.Length > 0))
                {
                    found++;
                    Assert.True(Strict().IsMatch(text), $"{context}: {name} = \"{text}\" is not UTC with Z and at most millisecond precision");
                }

                break;
        }
    }

    [GeneratedRegex(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,3})?Z$")]
    public static partial Regex Strict();

    [GeneratedRegex(@"^\d{4}-\d\d-\d\dT\d\d:\d\d")]
    private static partial Regex LooksLikeTimestamp();
}
