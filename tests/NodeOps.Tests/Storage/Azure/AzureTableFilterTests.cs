using System.Globalization;
using NodeOps.Storage;
using NodeOps.Storage.Azure;

namespace NodeOps.Tests.Storage.Azure;

/// <summary>How queries become OData filters; the contract tests check the service's answers, these the text sent.</summary>
public sealed class AzureTableFilterTests
{
    [Fact]
    public void Quotes_InStringLiterals_AreDoubled()
    {
        var filter = AzureTableFilter.Build(TableQuery.Partition("it's").Where("name", FilterOperator.Equal, "O''Brien'"));

        Assert.Equal("(PartitionKey eq 'it''s') and (name eq 'O''''Brien''')", filter);
    }

    [Fact]
    public void Literals_CarryTheirTypes()
    {
        var guid = Guid.Parse("c2a7f0f4-5b0e-4a53-9a55-37c1b7f3a0d2");
        var when = new DateTimeOffset(2024, 1, 2, 11, 4, 5, TimeSpan.FromHours(8)).AddTicks(1234567);

        Assert.Equal("5L", AzureTableFilter.Literal(5));
        Assert.Equal("-9223372036854775808L", AzureTableFilter.Literal(long.MinValue));
        Assert.Equal("true", AzureTableFilter.Literal(true));
        Assert.Equal("datetime'2024-01-02T03:04:05.1234567Z'", AzureTableFilter.Literal(when));
        Assert.Equal($"guid'{guid}'", AzureTableFilter.Literal(guid));
        Assert.Equal("X'01ff'", AzureTableFilter.Literal(new byte[] { 1, 255 }));
        Assert.Equal("2.0", AzureTableFilter.Literal(2.0));
    }

    [Theory]
    [InlineData(1e20, "100000000000000000000.0")]
    [InlineData(-1.5e-10, "-0.00000000015")]
    [InlineData(0.1, "0.1")]
    [InlineData(-15000000000.0, "-15000000000.0")]
    public void Doubles_UsePositionalNotation(double value, string expected) =>
        Assert.Equal(expected, AzureTableFilter.Literal(value));

    [Theory]
    [InlineData(double.MaxValue)]
    [InlineData(double.Epsilon)]
    [InlineData(-1.7976931348623157e308)]
    [InlineData(123456.789e-300)]
    [InlineData(Math.PI)]
    public void Doubles_ParseBackToTheSameValue(double value)
    {
        var literal = AzureTableFilter.Literal(value);

        Assert.DoesNotContain("E", literal, StringComparison.OrdinalIgnoreCase);
        Assert.Contains(".", literal, StringComparison.Ordinal);
        Assert.Equal(value, double.Parse(literal, CultureInfo.InvariantCulture));
    }

    [Fact]
    public void NoConditions_MeansNoFilter() => Assert.Null(AzureTableFilter.Build(new TableQuery()));

    [Fact]
    public void UnsafePropertyNames_AreRefused() =>
        Assert.Throws<ArgumentException>(() => AzureTableFilter.Build(new TableQuery().Where("a eq 1 or b", FilterOperator.Equal, 1L)));
}
