using NodeOps.Storage;

namespace NodeOps.Tests.Storage;

public sealed class LargeTextTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(LargeText.CharsPerProperty)]
    [InlineData(LargeText.CharsPerProperty + 1)]
    [InlineData(LargeText.CharsPerProperty * LargeText.PropertiesPerRow)]
    [InlineData(LargeText.CharsPerProperty * LargeText.PropertiesPerRow + 7)]
    [InlineData(1024 * 1024)]
    public void RoundTrip_AnyLength_KeepsEveryCharacter_WithinAzureLimits(int length)
    {
        var text = new string(Enumerable.Range(0, length).Select(i => (char)('a' + i % 26)).ToArray());

        var rows = LargeText.ToEntities("p", "b-x-", text);

        Assert.Equal(text, LargeText.FromEntities(rows));
        AssertWithinAzureLimits(rows);
        Assert.All(rows, r => Assert.StartsWith("b-x-", r.RowKey, StringComparison.Ordinal));
    }

    [Fact]
    public void Split_NeverSeparatesASurrogatePair()
    {
        // Put a supplementary character (two UTF-16 units) right across the first cut.
        var text = new string('a', LargeText.CharsPerProperty - 1) + "😀" + new string('b', 10);

        var rows = LargeText.ToEntities("p", "r-", text);

        Assert.Equal(text, LargeText.FromEntities(rows));
        foreach (var part in rows.SelectMany(r => r.Properties.Values).OfType<string>())
        {
            Assert.False(char.IsHighSurrogate(part[^1]), "a part ends with half a surrogate pair");
            Assert.False(char.IsLowSurrogate(part[0]), "a part starts with half a surrogate pair");
        }
    }

    [Fact]
    public void FromEntities_MissingRow_IsDetected()
    {
        var rows = LargeText.ToEntities("p", "r-", new string('z', LargeText.CharsPerProperty * LargeText.PropertiesPerRow * 2 + 5));
        Assert.Equal(3, rows.Count);

        Assert.Throws<InvalidDataException>(() => LargeText.FromEntities([rows[0], rows[2]]));
    }

    /// <summary>Azure: a string property holds at most 64 KiB (32K UTF-16 characters); an entity at most 1 MiB.</summary>
    internal static void AssertWithinAzureLimits(IEnumerable<TableEntity> rows)
    {
        foreach (var row in rows)
        {
            var size = 4 + (row.PartitionKey.Length + row.RowKey.Length) * 2;
            foreach (var (name, value) in row.Properties)
            {
                var valueSize = value is string s ? 4 + s.Length * 2 : 8;
                Assert.True(value is not string text || text.Length <= 32 * 1024, $"property {name} of {row.RowKey} holds {(value as string)?.Length} characters");
                size += 8 + name.Length * 2 + valueSize;
            }

            Assert.True(size < 1024 * 1024, $"entity {row.RowKey} is {size} bytes");
        }
    }
}
