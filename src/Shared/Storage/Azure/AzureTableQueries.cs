using System.Globalization;
using System.Runtime.CompilerServices;
using Azure.Data.Tables;

namespace NodeOps.Storage.Azure;

/// <summary>
/// Turns a <see cref="TableQuery"/> into the SDK's filter and back-and-forth between the SDK's continuation tokens
/// and the port's opaque ones. Values are escaped and typed by the SDK's <see cref="TableClient.CreateQueryFilter(FormattableString)"/>.
/// </summary>
internal static class AzureTableQueries
{
    public static string? Filter(TableQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        var parts = new List<string>();
        if (query.PartitionKey is not null)
        {
            parts.Add(TableClient.CreateQueryFilter($"PartitionKey eq {query.PartitionKey}"));
        }

        if (query.RowKeyFrom is not null)
        {
            parts.Add(TableClient.CreateQueryFilter($"RowKey ge {query.RowKeyFrom}"));
        }

        if (query.RowKeyBefore is not null)
        {
            parts.Add(TableClient.CreateQueryFilter($"RowKey lt {query.RowKeyBefore}"));
        }

        foreach (var condition in query.Conditions)
        {
            // The property name is an identifier (no braces, quotes or spaces), so it may stand in the format itself.
            TableNames.EnsureValidProperty(condition.Property);
            var op = Operator(condition.Operator);
            parts.Add(condition.Value switch
            {
                null => throw new ArgumentException("A filter cannot compare with null.", nameof(query)),
                double d => $"{condition.Property} {op} {DoubleLiteral(d)}",
                // Stored as Int64, and the service compares only values of one type.
                int i => TableClient.CreateQueryFilter(FormattableStringFactory.Create($"{condition.Property} {op} {{0}}", (long)i)),
                var value => TableClient.CreateQueryFilter(FormattableStringFactory.Create($"{condition.Property} {op} {{0}}", value)),
            });
        }

        return parts.Count == 0 ? null : string.Join(" and ", parts.Select(p => parts.Count == 1 ? p : $"({p})"));
    }

    /// <summary>
    /// The SDK's token is "NextPartitionKey NextRowKey" (both opaque to the service's caller); the port's token packs
    /// the same pair as the SQLite adapter does, so tokens handed out before the SDK was used stay valid.
    /// </summary>
    public static string? ToPortContinuation(string? sdkToken)
    {
        if (string.IsNullOrEmpty(sdkToken))
        {
            return null;
        }

        var space = sdkToken.IndexOf(' ', StringComparison.Ordinal);
        return space < 0
            ? ContinuationToken.Encode(sdkToken, "")
            : ContinuationToken.Encode(sdkToken[..space], sdkToken[(space + 1)..]);
    }

    public static string? ToSdkContinuation(string? portToken)
    {
        if (portToken is null)
        {
            return null;
        }

        var (partitionKey, rowKey) = ContinuationToken.Decode(portToken);
        return rowKey.Length == 0 ? partitionKey : $"{partitionKey} {rowKey}";
    }

    /// <summary>
    /// A double in positional notation with a decimal point. The SDK writes the shortest round-trip text instead:
    /// "2" is read as an integer (never equal to a Double property) and "1E-07" is not understood by Azurite's
    /// lexer, which reads only digits and one point.
    /// </summary>
    internal static string DoubleLiteral(double d)
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
