using System.Text.Json.Nodes;

namespace NodeOps.Tests.TestBed;

/// <summary>Field selectors (=, ==, != on dotted paths) and label selectors (=, ==, !=, exists, !exists, in, notin).</summary>
internal static class FakeKubeApiServerSelectors
{
    public sealed record Requirement(string Key, string Operator, IReadOnlyList<string> Values);

    public static IReadOnlyList<Requirement> ParseFields(string selector) =>
        SplitTerms(selector).Select(term =>
        {
            var (key, op, value) = term.Contains("!=", StringComparison.Ordinal) ? Split(term, "!=", "!=")
                : term.Contains("==", StringComparison.Ordinal) ? Split(term, "==", "=")
                : Split(term, "=", "=");
            return new Requirement(key, op, [value]);
        }).ToList();

    public static IReadOnlyList<Requirement> ParseLabels(string selector) =>
        SplitTerms(selector).Select(term =>
        {
            var spaced = term.Split(' ', 3, StringSplitOptions.RemoveEmptyEntries);
            if (spaced.Length == 3 && spaced[1] is "in" or "notin")
            {
                var values = spaced[2].Trim('(', ')').Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
                return new Requirement(spaced[0], spaced[1], values);
            }

            if (term.StartsWith('!'))
            {
                return new Requirement(term[1..], "!exists", []);
            }

            if (!term.Contains('=', StringComparison.Ordinal))
            {
                return new Requirement(term, "exists", []);
            }

            var (key, op, value) = term.Contains("!=", StringComparison.Ordinal) ? Split(term, "!=", "!=")
                : term.Contains("==", StringComparison.Ordinal) ? Split(term, "==", "=")
                : Split(term, "=", "=");
            return new Requirement(key, op, [value]);
        }).ToList();

    public static bool MatchesFields(JsonObject obj, IReadOnlyList<Requirement> requirements) =>
        requirements.All(r =>
        {
            var actual = Lookup(obj, r.Key);
            return r.Operator == "!=" ? actual != r.Values[0] : actual == r.Values[0];
        });

    public static bool MatchesLabels(JsonObject obj, IReadOnlyList<Requirement> requirements)
    {
        var labels = obj["metadata"]?["labels"] as JsonObject;
        return requirements.All(r =>
        {
            var has = labels?.ContainsKey(r.Key) == true;
            var value = has ? labels![r.Key]?.GetValue<string>() : null;
            return r.Operator switch
            {
                "exists" => has,
                "!exists" => !has,
                "in" => value is not null && r.Values.Contains(value),
                "notin" => value is null || !r.Values.Contains(value),
                "!=" => value != r.Values[0],
                _ => value == r.Values[0],
            };
        });
    }

    private static string Lookup(JsonObject obj, string dottedPath)
    {
        JsonNode? node = obj;
        foreach (var segment in dottedPath.Split('.'))
        {
            node = node is JsonObject o ? o[segment] : null;
        }

        return node switch
        {
            null => "",
            JsonValue v when v.TryGetValue<string>(out var s) => s,
            _ => node.ToJsonString(),
        };
    }

    private static (string Key, string Op, string Value) Split(string term, string separator, string op)
    {
        var at = term.IndexOf(separator, StringComparison.Ordinal);
        return (term[..at].Trim(), op, term[(at + separator.Length)..].Trim());
    }

    /// <summary>Splits on commas that are not inside a parenthesised value set.</summary>
    private static List<string> SplitTerms(string selector)
    {
        var terms = new List<string>();
        var depth = 0;
        var start = 0;
        for (var i = 0; i < selector.Length; i++)
        {
            depth += selector[i] switch { '(' => 1, ')' => -1, _ => 0 };
            if (selector[i] == ',' && depth == 0)
            {
                terms.Add(selector[start..i]);
                start = i + 1;
            }
        }

        terms.Add(selector[start..]);
        return terms.Select(t => t.Trim()).Where(t => t.Length > 0).ToList();
    }
}
