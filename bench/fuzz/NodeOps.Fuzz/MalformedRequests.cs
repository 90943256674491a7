using System.Text;

namespace NodeOps.Fuzz;

/// <summary>A request to send: method, path with query, body bytes (null for none), content type, and who sends it.</summary>
internal sealed record FuzzRequest(string Method, string Path, byte[]? Body, string? ContentType, string Caller)
{
    public string Describe() => $"{Method} {Path} [{Caller}, {ContentType ?? "no content type"}] {Preview()}";

    private string Preview()
    {
        if (Body is null)
        {
            return "(no body)";
        }

        var text = Encoding.UTF8.GetString(Body);
        return text.Length > 160 ? text[..160] + $"… ({Body.Length} bytes)" : text;
    }
}

/// <summary>
/// Makes malformed requests from a seed: bad path values and query strings, bodies that are empty, null, the wrong
/// kind, truncated, not UTF-8, nested too deep, or objects whose known fields hold values of every wrong kind.
/// </summary>
internal sealed class MalformedRequests(int seed)
{
    private static readonly string[] PathValues =
    [
        "1", "0", "-1", "abc", "99999999999999999999", "%ED%A0%80", "..%2F..%2Fetc%2Fpasswd", new('a', 300), "main", "ssh-exec-1700000000-abcd",
        "%00", "1e5", "%20", "session-1", "node-1", "%F0%9F%98%80", "NULL", "1.5",
    ];

    private static readonly string[] Queries =
    [
        "", "", "?page=-1", "?page_size=1000000", "?page=abc&page_size=0", "?status=%FF", "?output_offset=-5&output_limit=1e9",
        "?q=" + new string('x', 2000), "?start_date=2025-13-45&end_date=x", "?category=..%2F", "?page=1&page=2", "?is_active=maybe",
    ];

    private static readonly string[] FixedBodies =
    [
        "null", "", "[]", "{}", "{\"query\":\"\\ud800\"}", "\"text\"", "1", "true", "{", "{\"a\":}", "{\"a\":1,\"a\":2}", "[{}]", "{\"\\udc00\":1}",
        " \n\t ", "{\"query\":\"hi\"}", "{\"query\":\"\\ud83d\"}", "{\"name\":\"\\u0000\"}",
    ];

    private static readonly string[] Values =
    [
        "null", "\"\"", "\"\\ud800\"", "\"\\udfff x\"", "1e11", "-1", "0", "1.5", "true", "[]", "{}", "[null]", "{\"x\":null}", "\"kerberos\"", "\"root\"",
        "\"../../etc/passwd\"", "\"$(rm -rf /)\"", "\"uptime\"", "[\"a\",\"b\"]", "\"12\"", "9223372036854775808", "-9223372036854775809", "\"2025-10-29T16:00:00Z\"",
        "[[[[[[]]]]]]", "\"main\"", "[1,2,3]", "{\"nodes\":[{\"name\":null}]}", "[{\"name\":\"\\ud800\"}]", "\"\\u202e\"", "1e400",
    ];

    private static readonly string[] ContentTypes = ["application/json", "text/plain", "application/x-www-form-urlencoded", "application/json; charset=utf-16", "application/xml"];

    private static readonly string[] Callers = ["admin", "admin", "admin", "admin", "admin", "admin", "admin", "admin", "anonymous", "bad-token", "bad-key"];

    private readonly Random _random = new(seed);

    public FuzzRequest Next(FuzzRoute route, int round)
    {
        var path = route.Template;
        foreach (var name in route.Parameters)
        {
            path = path.Replace("{" + name + "}", Pick(PathValues), StringComparison.Ordinal);
        }

        path += Pick(Queries);
        var hasBody = route.Method is "POST" or "PUT" or "PATCH" || _random.Next(10) == 0;
        // The first rounds over every route send the fixed bodies in order, so each route sees each of them.
        var body = !hasBody ? null : round < FixedBodies.Length ? Encoding.UTF8.GetBytes(FixedBodies[round]) : Body(route);
        var contentType = body is null ? null : _random.Next(10) < 8 ? "application/json" : _random.Next(6) == 0 ? null : Pick(ContentTypes);
        return new FuzzRequest(route.Method, path, body, contentType, round < FixedBodies.Length ? "admin" : Pick(Callers));
    }

    private byte[] Body(FuzzRoute route) => _random.Next(8) switch
    {
        0 => Encoding.UTF8.GetBytes(Pick(FixedBodies)),
        1 => Nested(_random.Next(2) == 0 ? 5000 : 70),
        2 => Truncated(Encoding.UTF8.GetBytes(ObjectOf(route))),
        3 => [0x7b, 0x22, 0x71, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0xed, 0xa0, 0x80, 0x22, 0x7d],
        _ => Encoding.UTF8.GetBytes(ObjectOf(route)),
    };

    /// <summary>The route's own fields (and sometimes an unknown one), each with a value of a random kind, some left out.</summary>
    private string ObjectOf(FuzzRoute route)
    {
        var names = route.BodyProperties.Count > 0 ? route.BodyProperties : ["query", "name", "id"];
        var parts = names.Where(_ => _random.Next(4) != 0).Select(n => $"\"{n}\":{Pick(Values)}").ToList();
        if (_random.Next(5) == 0)
        {
            parts.Add($"\"unknown_{_random.Next(100)}\":{Pick(Values)}");
        }

        if (_random.Next(20) == 0)
        {
            parts.Add($"\"{Pick(names)}\":\"{new string('x', 70_000)}\"");
        }

        return "{" + string.Join(",", parts) + "}";
    }

    private byte[] Nested(int depth)
    {
        var open = _random.Next(2) == 0 ? "[" : "{\"a\":";
        var close = open == "[" ? "]" : "}";
        var text = new StringBuilder("{\"query\":");
        for (var i = 0; i < depth; i++)
        {
            text.Append(open);
        }

        text.Append(open == "[" ? "" : "1");
        for (var i = 0; i < depth; i++)
        {
            text.Append(close);
        }

        return Encoding.UTF8.GetBytes(text.Append('}').ToString());
    }

    private byte[] Truncated(byte[] json) => json.Length < 2 ? json : json[.._random.Next(1, json.Length)];

    private T Pick<T>(IReadOnlyList<T> items) => items[_random.Next(items.Count)];
}
