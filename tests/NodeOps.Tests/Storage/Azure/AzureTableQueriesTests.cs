using System.Globalization;
using NodeOps.Storage;
using NodeOps.Storage.Azure;

namespace NodeOps.Tests.Storage.Azure;

/// <summary>
/// The text sent for queries: the SDK escapes and types the values, NodeOps writes doubles and keeps its own
/// continuation format. The contract tests check the service's answers; these the text.
/// </summary>
public sealed class AzureTableQueriesTests
{
    [Fact]
    public void Quotes_InStringLiterals_AreDoubled()
    {
        var filter = AzureTableQueries.Filter(TableQuery.Partition("it's").Where("name", FilterOperator.Equal, "O''Brien'"));

        Assert.Equal("(PartitionKey eq 'it''s') and (name eq 'O''''Brien''')", filter);
    }

    [Fact]
    public void Literals_CarryTheirTypes_AndIntsAreInt64()
    {
        var guid = Guid.Parse("c2a7f0f4-5b0e-4a53-9a55-37c1b7f3a0d2");

        Assert.Equal("v eq 5L", AzureTableQueries.Filter(new TableQuery().Where("v", FilterOperator.Equal, 5)));
        Assert.Equal("v lt 2.0", AzureTableQueries.Filter(new TableQuery().Where("v", FilterOperator.LessThan, 2.0)));
        Assert.Equal($"v ne guid'{guid}'", AzureTableQueries.Filter(new TableQuery().Where("v", FilterOperator.NotEqual, guid)));
        Assert.Equal("v eq true", AzureTableQueries.Filter(new TableQuery().Where("v", FilterOperator.Equal, true)));
    }

    [Theory]
    [InlineData(1e20, "100000000000000000000.0")]
    [InlineData(-1.5e-10, "-0.00000000015")]
    [InlineData(-1e-7, "-0.0000001")]
    [InlineData(0.1, "0.1")]
    [InlineData(-15000000000.0, "-15000000000.0")]
    public void Doubles_UsePositionalNotation(double value, string expected) =>
        Assert.Equal(expected, AzureTableQueries.DoubleLiteral(value));

    [Theory]
    [InlineData(double.MaxValue)]
    [InlineData(double.Epsilon)]
    [InlineData(123456.789e-300)]
    [InlineData(Math.PI)]
    public void Doubles_ParseBackToTheSameValue(double value)
    {
        var literal = AzureTableQueries.DoubleLiteral(value);

        Assert.DoesNotContain("E", literal, StringComparison.OrdinalIgnoreCase);
        Assert.Contains(".", literal, StringComparison.Ordinal);
        Assert.Equal(value, double.Parse(literal, CultureInfo.InvariantCulture));
    }

    [Fact]
    public void NoConditions_MeansNoFilter() => Assert.Null(AzureTableQueries.Filter(new TableQuery()));

    [Fact]
    public void UnsafePropertyNames_AreRefused() =>
        Assert.Throws<ArgumentException>(() => AzureTableQueries.Filter(new TableQuery().Where("a eq 1 or b", FilterOperator.Equal, 1L)));

    [Theory]
    [InlineData("1!8!cm93MDEwMDA- 1!12!cm93MDAwOTk5")]
    [InlineData("1!8!cm93MDEwMDA-")]
    public void Continuations_RoundTripThroughThePortsFormat(string sdkToken)
    {
        var port = AzureTableQueries.ToPortContinuation(sdkToken);

        Assert.NotNull(port);
        Assert.Equal(sdkToken, AzureTableQueries.ToSdkContinuation(port));
    }

    [Fact]
    public void MalformedContinuation_IsAnArgumentError() =>
        Assert.Throws<ArgumentException>(() => AzureTableQueries.ToSdkContinuation("not a token"));
}
