using System.Globalization;

namespace NodeOps.Storage;

/// <summary>
/// Text too large for one table property, stored over several rows of one partition. Azure Table Storage caps a
/// string property at 64 KiB (32K UTF-16 characters) and an entity at 1 MiB, so each row holds up to
/// <see cref="PropertiesPerRow"/> properties of at most <see cref="CharsPerProperty"/> characters.
/// Rows are "{prefix}{index:D5}"; each carries the row count and the total length, so a reader notices a write that
/// never finished. Callers give every write a fresh prefix and publish it only after the write completed, so readers
/// never see half a text.
/// </summary>
public static class LargeText
{
    public const int CharsPerProperty = 30_000;
    public const int PropertiesPerRow = 12;
    private const string RowsProperty = "lt_rows";
    private const string LengthProperty = "lt_length";
    private const string PartPrefix = "lt_";

    /// <summary>The rows that hold <paramref name="text"/>; an empty text still has one row, so it reads back as "".</summary>
    public static IReadOnlyList<TableEntity> ToEntities(string partitionKey, string rowPrefix, string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var parts = Split(text);
        var rowCount = Math.Max(1, (parts.Count + PropertiesPerRow - 1) / PropertiesPerRow);
        var rows = new List<TableEntity>(rowCount);
        for (var row = 0; row < rowCount; row++)
        {
            var entity = new TableEntity(partitionKey, RowKey(rowPrefix, row))
            {
                [RowsProperty] = (long)rowCount,
                [LengthProperty] = (long)text.Length,
            };
            for (var p = 0; p < PropertiesPerRow; p++)
            {
                var index = row * PropertiesPerRow + p;
                if (index >= parts.Count)
                {
                    break;
                }

                entity[PartPrefix + p.ToString("D2", CultureInfo.InvariantCulture)] = parts[index];
            }

            rows.Add(entity);
        }

        return rows;
    }

    /// <summary>Joins rows written by <see cref="ToEntities"/>, in row-key order. Throws when rows are missing.</summary>
    public static string FromEntities(IReadOnlyList<TableEntity> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        if (rows.Count == 0)
        {
            throw new InvalidDataException("The text has no rows.");
        }

        var expectedRows = rows[0].GetInt64(RowsProperty);
        var expectedLength = rows[0].GetInt64(LengthProperty);
        if (expectedRows != rows.Count || expectedLength is null or < 0)
        {
            throw new InvalidDataException($"The text has {rows.Count} of {expectedRows} rows; it was not written completely.");
        }

        var builder = new System.Text.StringBuilder((int)Math.Min(expectedLength.Value, int.MaxValue));
        foreach (var row in rows.OrderBy(r => r.RowKey, StringComparer.Ordinal))
        {
            for (var p = 0; p < PropertiesPerRow; p++)
            {
                if (row.GetString(PartPrefix + p.ToString("D2", CultureInfo.InvariantCulture)) is not { } part)
                {
                    break;
                }

                builder.Append(part);
            }
        }

        if (builder.Length != expectedLength)
        {
            throw new InvalidDataException($"The text has {builder.Length} of {expectedLength} characters; it was not written completely.");
        }

        return builder.ToString();
    }

    /// <summary>Writes the rows one by one (a batch could exceed the service's 4 MiB batch payload).</summary>
    public static async Task WriteAsync(ITableStore store, string table, string partitionKey, string rowPrefix, string text, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        foreach (var entity in ToEntities(partitionKey, rowPrefix, text))
        {
            await store.UpsertAsync(table, entity, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The text under <paramref name="rowPrefix"/>, or null when no row exists.</summary>
    public static async Task<string?> ReadAsync(ITableStore store, string table, string partitionKey, string rowPrefix, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        var rows = await store.QueryListAsync(table, TableQuery.Partition(partitionKey).WithRowKeyPrefix(rowPrefix), cancellationToken).ConfigureAwait(false);
        return rows.Count == 0 ? null : FromEntities(rows);
    }

    /// <summary>Removes the rows; missing rows are not an error.</summary>
    public static async Task DeleteAsync(ITableStore store, string table, string partitionKey, string rowPrefix, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        var rows = await store.QueryListAsync(table, TableQuery.Partition(partitionKey).WithRowKeyPrefix(rowPrefix), cancellationToken).ConfigureAwait(false);
        foreach (var row in rows)
        {
            try
            {
                await store.DeleteAsync(table, partitionKey, row.RowKey, "*", cancellationToken).ConfigureAwait(false);
            }
            catch (EntityNotFoundException)
            {
                // Removed by someone else in the meantime.
            }
        }
    }

    private static string RowKey(string prefix, int row) => prefix + row.ToString("D5", CultureInfo.InvariantCulture);

    /// <summary>
    /// Cuts text into parts of at most <paramref name="maxChars"/> characters, never between the two halves of a
    /// surrogate pair (a lone half is not valid text). Anything stored as property-sized pieces uses this.
    /// </summary>
    internal static List<string> Split(string text, int maxChars = CharsPerProperty)
    {
        var parts = new List<string>(text.Length / maxChars + 1);
        var start = 0;
        while (start < text.Length)
        {
            var length = Math.Min(maxChars, text.Length - start);
            if (start + length < text.Length && char.IsHighSurrogate(text[start + length - 1]))
            {
                length--;
            }

            parts.Add(text.Substring(start, length));
            start += length;
        }

        return parts;
    }
}
