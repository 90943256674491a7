using System.Text;
using System.Text.Json;

namespace NodeOps.Storage;

/// <summary>An opaque continuation that carries the last key pair seen.</summary>
internal static class ContinuationToken
{
    public static string Encode(string partitionKey, string rowKey) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new[] { partitionKey, rowKey })));

    public static (string PartitionKey, string RowKey) Decode(string token)
    {
        try
        {
            var pair = JsonSerializer.Deserialize<string[]>(Encoding.UTF8.GetString(Convert.FromBase64String(token)));
            if (pair is { Length: 2 })
            {
                return (pair[0], pair[1]);
            }
        }
        catch (FormatException)
        {
        }
        catch (JsonException)
        {
        }

        throw new ArgumentException("The continuation token is malformed.", nameof(token));
    }
}
