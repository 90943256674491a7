using System.Globalization;

namespace NodeOps.Storage.Azure;

/// <summary>
/// Translates a <see cref="TableQuery"/> into an OData $filter. Literals are typed the way the entity JSON writes
/// values (every integer as Int64), because the service compares only values of the same type.
/// </summary>
internal static class AzureTableFilter
{
    public static string? Build(TableQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        var parts = new List<string>();
        if (query.PartitionKey is not null)
        {
            parts.Add($"PartitionKey eq {Literal(query.PartitionKey)}");
        }

        if (query.RowKeyFrom is not null)
        {
            parts.Add($"RowKey ge {Literal(query.RowKeyFrom)}");
        }

        if (query.RowKeyBefore is not null)
        {
            parts.Add($"RowKey lt {Literal(query.RowKeyBefore)}");
        }

        foreach (var condition in query.Conditions)
        {
            TableNames.EnsureValidProperty(condition.Property);
            parts.Add($"{condition.Property} {Operator(condition.Operator)} {Literal(condition.Value)}");
        }

        return parts.Count == 0 ? null : string.Join(" and ", parts.Select(p => parts.Count == 1 ? p : $"({p})"));
    }

    public static string Literal(object value) => value switch
    {
        // A quote inside an OData string literal is written twice.
        string s => "'" + s.Replace("'", "''", StringComparison.Ordinal) + "'",
        long or int => Convert.ToInt64(value, CultureInfo.InvariantCulture).ToString(CultureInfo.InvariantCulture) + "L",
        double d => DoubleLiteral(d),
        bool b => b ? "true" : "false",
        DateTimeOffset t => "datetime'" + t.UtcDateTime.ToString(AzureEntityJson.DateFormat, CultureInfo.InvariantCulture) + "'",
        Guid g => "guid'" + g.ToString("D") + "'",
        byte[] x => "X'" + Convert.ToHexStringLower(x) + "'",
        null => throw new ArgumentException("A filter cannot compare with null.", nameof(value)),
        _ => throw new ArgumentException($"A filter cannot compare with a value of type {value.GetType().Name}.", nameof(value)),
    };

    /// <summary>
    /// A double in positional notation with a decimal point: without the point the literal would be read as an
    /// integer (never equal to a Double property), and exponent notation is not understood by every implementation
    /// of the protocol (Azurite's lexer reads only digits and one point).
    /// </summary>
    private static string DoubleLiteral(double d)
    {
        if (!double.IsFinite(d))
        {
            throw new ArgumentException("A filter cannot compare with NaN or an infinity.", nameof(d));
        }

        // "R" is the shortest text that parses back to the same double; only its notation is changed below.
        var text = d.ToString("R", CultureInfo.InvariantCulture);
        var exponentAt = text.IndexOfAny(['E', 'e']);
        if (exponentAt < 0)
        {
            return text.Contains('.', StringComparison.Ordinal) ? text : text + ".0";
        }

        var exponent = int.Parse(text.AsSpan(exponentAt + 1), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
        var mantissa = text[..exponentAt];
        var sign = mantissa.StartsWith('-') ? "-" : "";
        mantissa = mantissa.TrimStart('-');
        var pointAt = mantissa.IndexOf('.', StringComparison.Ordinal);
        var digits = mantissa.Replace(".", "", StringComparison.Ordinal);
        var newPointAt = (pointAt < 0 ? mantissa.Length : pointAt) + exponent;
        var positional = newPointAt <= 0
            ? "0." + new string('0', -newPointAt) + digits
            : newPointAt >= digits.Length
                ? digits + new string('0', newPointAt - digits.Length) + ".0"
                : digits[..newPointAt] + "." + digits[newPointAt..];
        return sign + positional;
    }

    private static string Operator(FilterOperator op) => op switch
    {
        FilterOperator.Equal => "eq",
        FilterOperator.NotEqual => "ne",
        FilterOperator.GreaterThan => "gt",
        FilterOperator.GreaterThanOrEqual => "ge",
        FilterOperator.LessThan => "lt",
        FilterOperator.LessThanOrEqual => "le",
        _ => throw new ArgumentOutOfRangeException(nameof(op)),
    };
}
