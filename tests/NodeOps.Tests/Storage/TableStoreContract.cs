using NodeOps.Storage;

namespace NodeOps.Tests.Storage;

/// <summary>
/// The behaviour every <see cref="ITableStore"/> adapter must show. xunit makes one instance per test, so each test
/// gets its own table name and tests do not see each other's data.
/// </summary>
public abstract class TableStoreContract
{
    protected TableStoreContract(ITableStore store)
    {
        Store = store;
    }

    protected ITableStore Store { get; }

    protected string Table { get; } = "t" + Guid.NewGuid().ToString("N");

    // ---- point reads and single writes ----

    [Fact]
    public async Task Get_MissingEntityOrTable_ReturnsNull()
    {
        Assert.Null(await Store.GetAsync(Table, "p", "r"));
        await Store.InsertAsync(Table, new TableEntity("p", "other"));
        Assert.Null(await Store.GetAsync(Table, "p", "r"));
    }

    [Fact]
    public async Task Insert_ThenGet_ReturnsPropertiesETagAndTimestamp()
    {
        var entity = new TableEntity("p", "r") { ["name"] = "one", ["count"] = 3L };
        var etag = await Store.InsertAsync(Table, entity);

        Assert.False(string.IsNullOrEmpty(etag));
        Assert.Equal(etag, entity.ETag);
        Assert.NotNull(entity.Timestamp);
        var read = await Store.GetAsync(Table, "p", "r");
        Assert.NotNull(read);
        Assert.Equal(("p", "r"), (read.PartitionKey, read.RowKey));
        Assert.Equal(etag, read.ETag);
        Assert.NotNull(read.Timestamp);
        Assert.InRange(read.Timestamp.Value, DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddMinutes(5));
        Assert.Equal("one", read.GetString("name"));
        Assert.Equal(3L, read["count"]);
        Assert.Equal(2, read.Properties.Count);
    }

    [Fact]
    public async Task Insert_ExistingKey_ThrowsEntityAlreadyExists_AndKeepsTheFirst()
    {
        await Store.InsertAsync(Table, new TableEntity("p", "r") { ["v"] = "first" });

        await Assert.ThrowsAsync<EntityAlreadyExistsException>(() => Store.InsertAsync(Table, new TableEntity("p", "r") { ["v"] = "second" }));
        Assert.Equal("first", (await Store.GetAsync(Table, "p", "r"))!.GetString("v"));
    }

    [Fact]
    public async Task Insert_Concurrently_ExactlyOneWins()
    {
        await Store.InsertAsync(Table, new TableEntity("p", "warm-up")); // the table exists before the race
        var attempts = Enumerable.Range(0, 20).Select(i => Task.Run(async () =>
        {
            try
            {
                await Store.InsertAsync(Table, new TableEntity("p", "r") { ["writer"] = (long)i });
                return true;
            }
            catch (EntityAlreadyExistsException)
            {
                return false;
            }
        }));

        var results = await Task.WhenAll(attempts);

        Assert.Single(results, won => won);
        Assert.NotNull(await Store.GetAsync(Table, "p", "r"));
    }

    [Fact]
    public async Task Replace_DropsPropertiesNotGiven_AndChangesETag()
    {
        var first = await Store.InsertAsync(Table, new TableEntity("p", "r") { ["a"] = "1", ["b"] = "2" });

        var second = await Store.ReplaceAsync(Table, new TableEntity("p", "r") { ["a"] = "3" }, first);

        Assert.NotEqual(first, second);
        var read = (await Store.GetAsync(Table, "p", "r"))!;
        Assert.Equal(second, read.ETag);
        Assert.Equal("3", read.GetString("a"));
        Assert.False(read.Properties.ContainsKey("b"));
    }

    [Fact]
    public async Task Merge_KeepsPropertiesNotGiven()
    {
        var first = await Store.InsertAsync(Table, new TableEntity("p", "r") { ["a"] = "1", ["b"] = "2" });

        var second = await Store.MergeAsync(Table, new TableEntity("p", "r") { ["a"] = "3", ["c"] = 4L }, first);

        Assert.NotEqual(first, second);
        var read = (await Store.GetAsync(Table, "p", "r"))!;
        Assert.Equal(("3", "2", 4L), (read.GetString("a"), read.GetString("b"), read.GetInt64("c")));
    }

    [Fact]
    public async Task Upsert_InsertsThenReplaces()
    {
        await Store.UpsertAsync(Table, new TableEntity("p", "r") { ["a"] = "1", ["b"] = "2" });
        await Store.UpsertAsync(Table, new TableEntity("p", "r") { ["a"] = "3" });

        var read = (await Store.GetAsync(Table, "p", "r"))!;
        Assert.Equal("3", read.GetString("a"));
        Assert.False(read.Properties.ContainsKey("b"));
    }

    [Fact]
    public async Task UnconditionalWrites_ToMissingEntity_ThrowEntityNotFound()
    {
        await Store.InsertAsync(Table, new TableEntity("p", "exists"));

        await Assert.ThrowsAsync<EntityNotFoundException>(() => Store.ReplaceAsync(Table, new TableEntity("p", "r"), null));
        await Assert.ThrowsAsync<EntityNotFoundException>(() => Store.ReplaceAsync(Table, new TableEntity("p", "r"), "*"));
        await Assert.ThrowsAsync<EntityNotFoundException>(() => Store.MergeAsync(Table, new TableEntity("p", "r"), null));
        await Assert.ThrowsAsync<EntityNotFoundException>(() => Store.DeleteAsync(Table, "p", "r", null));
        Assert.Null(await Store.GetAsync(Table, "p", "r"));
    }

    [Fact]
    public async Task UnconditionalWrites_ToMissingTable_ThrowEntityNotFound()
    {
        await Assert.ThrowsAsync<EntityNotFoundException>(() => Store.ReplaceAsync(Table, new TableEntity("p", "r"), null));
        await Assert.ThrowsAsync<EntityNotFoundException>(() => Store.DeleteAsync(Table, "p", "r", "*"));
    }

    [Fact]
    public async Task ConditionalWrites_ToMissingEntity_ThrowPreconditionFailed()
    {
        var etag = await Store.InsertAsync(Table, new TableEntity("p", "r"));
        await Store.DeleteAsync(Table, "p", "r", etag);

        await Assert.ThrowsAsync<PreconditionFailedException>(() => Store.ReplaceAsync(Table, new TableEntity("p", "r"), etag));
        await Assert.ThrowsAsync<PreconditionFailedException>(() => Store.MergeAsync(Table, new TableEntity("p", "r"), etag));
        await Assert.ThrowsAsync<PreconditionFailedException>(() => Store.DeleteAsync(Table, "p", "r", etag));
    }

    [Fact]
    public async Task Delete_WithCurrentETag_Removes()
    {
        var etag = await Store.InsertAsync(Table, new TableEntity("p", "r"));

        await Store.DeleteAsync(Table, "p", "r", etag);

        Assert.Null(await Store.GetAsync(Table, "p", "r"));
    }

    // ---- optimistic concurrency ----

    [Fact]
    public async Task StaleETag_IsRefusedByReplaceMergeAndDelete_AndChangesNothing()
    {
        var stale = await Store.InsertAsync(Table, new TableEntity("p", "r") { ["v"] = 1L });
        var current = await Store.ReplaceAsync(Table, new TableEntity("p", "r") { ["v"] = 2L }, stale);

        await Assert.ThrowsAsync<PreconditionFailedException>(() => Store.ReplaceAsync(Table, new TableEntity("p", "r") { ["v"] = 9L }, stale));
        await Assert.ThrowsAsync<PreconditionFailedException>(() => Store.MergeAsync(Table, new TableEntity("p", "r") { ["v"] = 9L }, stale));
        await Assert.ThrowsAsync<PreconditionFailedException>(() => Store.DeleteAsync(Table, "p", "r", stale));

        var read = (await Store.GetAsync(Table, "p", "r"))!;
        Assert.Equal((2L, current), (read.GetInt64("v")!.Value, read.ETag));
    }

    [Fact]
    public async Task StarETag_IsUnconditional()
    {
        var first = await Store.InsertAsync(Table, new TableEntity("p", "r") { ["v"] = 1L });
        await Store.ReplaceAsync(Table, new TableEntity("p", "r") { ["v"] = 2L }, first);

        await Store.MergeAsync(Table, new TableEntity("p", "r") { ["w"] = 3L }, "*");
        await Store.DeleteAsync(Table, "p", "r", "*");

        Assert.Null(await Store.GetAsync(Table, "p", "r"));
    }

    [Fact]
    public async Task ConcurrentConditionalReplaces_WithTheSameETag_ExactlyOneWins()
    {
        var etag = await Store.InsertAsync(Table, new TableEntity("p", "r") { ["winner"] = -1L });
        var attempts = Enumerable.Range(0, 20).Select(i => Task.Run(async () =>
        {
            try
            {
                await Store.ReplaceAsync(Table, new TableEntity("p", "r") { ["winner"] = (long)i }, etag);
                return i;
            }
            catch (PreconditionFailedException)
            {
                return -1;
            }
        }));

        var results = await Task.WhenAll(attempts);

        var winner = Assert.Single(results, r => r >= 0);
        Assert.Equal(19, results.Count(r => r < 0));
        Assert.Equal(winner, (await Store.GetAsync(Table, "p", "r"))!.GetInt64("winner"));
    }

    // ---- queries ----

    [Fact]
    public async Task Query_MoreThan1000Entities_PagesThroughEachOnceInOrder()
    {
        const int total = 1100;
        var rows = Enumerable.Range(0, total).Select(i => $"row{i:D5}").ToList();
        await Store.ExecuteInChunksAsync(Table, rows.Select(r => TableOperation.Insert(new TableEntity("big", r) { ["n"] = (long)r.GetHashCode() })).ToList());
        await Store.InsertAsync(Table, new TableEntity("other", "row00000"));

        var first = await Store.QueryAsync(Table, TableQuery.Partition("big"));
        Assert.InRange(first.Entities.Count, 1, 1000);
        Assert.NotNull(first.Continuation);

        var seen = new List<string>();
        var query = TableQuery.Partition("big") with { PageSize = 1000 };
        for (var page = 0; page < 50; page++)
        {
            var result = await Store.QueryAsync(Table, query);
            Assert.True(result.Entities.Count <= 1000);
            seen.AddRange(result.Entities.Select(e => e.RowKey));
            if (result.Continuation is null)
            {
                break;
            }

            query = query with { Continuation = result.Continuation };
        }

        Assert.Equal(rows, seen);
    }

    [Fact]
    public async Task Query_SmallPages_FollowContinuations()
    {
        await Store.ExecuteBatchAsync(Table, Enumerable.Range(0, 10).Select(i => TableOperation.Insert(new TableEntity("p", $"r{i:D2}"))).ToList());

        var pages = 0;
        var seen = new List<string>();
        var query = TableQuery.Partition("p") with { PageSize = 3 };
        for (; pages < 20; pages++)
        {
            var result = await Store.QueryAsync(Table, query);
            Assert.True(result.Entities.Count <= 3);
            seen.AddRange(result.Entities.Select(e => e.RowKey));
            if (result.Continuation is null)
            {
                break;
            }

            query = query with { Continuation = result.Continuation };
        }

        Assert.Equal(Enumerable.Range(0, 10).Select(i => $"r{i:D2}"), seen);
        Assert.InRange(pages, 3, 4);
    }

    [Fact]
    public async Task Query_WholeTable_ReturnsEveryPartitionInKeyOrder()
    {
        foreach (var (pk, rk) in new[] { ("b", "2"), ("a", "9"), ("c", "1"), ("a", "1"), ("b", "1") })
        {
            await Store.InsertAsync(Table, new TableEntity(pk, rk));
        }

        var all = await Store.QueryListAsync(Table, new TableQuery());

        Assert.Equal(["a/1", "a/9", "b/1", "b/2", "c/1"], all.Select(e => $"{e.PartitionKey}/{e.RowKey}"));
        Assert.All(all, e => Assert.False(string.IsNullOrEmpty(e.ETag)));
    }

    [Fact]
    public async Task Query_MissingTable_IsEmpty()
    {
        var page = await Store.QueryAsync(Table, new TableQuery());

        Assert.Empty(page.Entities);
        Assert.Null(page.Continuation);
    }

    [Fact]
    public async Task Query_RowKeyRangeAndPrefix()
    {
        await Store.ExecuteBatchAsync(Table, new[] { "app", "apple", "apply", "apt", "b", "ap" }
            .Select(r => TableOperation.Insert(new TableEntity("p", r))).ToList());
        await Store.InsertAsync(Table, new TableEntity("q", "apple"));

        var prefixed = await Store.QueryListAsync(Table, TableQuery.Partition("p").WithRowKeyPrefix("app"));
        var range = await Store.QueryListAsync(Table, TableQuery.Partition("p") with { RowKeyFrom = "apple", RowKeyBefore = "apt" });

        Assert.Equal(["app", "apple", "apply"], prefixed.Select(e => e.RowKey));
        Assert.Equal(["apple", "apply"], range.Select(e => e.RowKey));
    }

    public static TheoryData<string> FilterTypes => new() { "string", "long", "int", "double", "date", "bool", "guid", "binary" };

    /// <summary>Each operator against several pivots, compared with the same comparison done in memory.</summary>
    [Theory]
    [MemberData(nameof(FilterTypes))]
    public async Task Query_FilterOfEachTypeAndOperator_MatchesInMemoryComparison(string type)
    {
        var values = FilterValues(type);
        var entities = values.Select((v, i) => new TableEntity("p", $"r{i:D2}") { ["v"] = v, ["other"] = "x" }).ToList();
        await Store.ExecuteBatchAsync(Table, entities.Select(TableOperation.Insert).ToList());
        await Store.InsertAsync(Table, new TableEntity("p", "none") { ["other"] = "no v at all" });

        // Guids, booleans and binaries only have a meaningful equality: their order differs between stores.
        var operators = type is "guid" or "bool" or "binary"
            ? new[] { FilterOperator.Equal, FilterOperator.NotEqual }
            : Enum.GetValues<FilterOperator>();
        foreach (var pivot in values)
        {
            foreach (var op in operators)
            {
                var expected = entities
                    .Where(e => Matches(Compare(e["v"]!, pivot), op))
                    .Select(e => e.RowKey).ToList();

                var actual = await Store.QueryListAsync(Table, TableQuery.Partition("p").Where("v", op, pivot));

                Assert.True(expected.SequenceEqual(actual.Select(e => e.RowKey)),
                    $"{type} v {op} {Describe(pivot)}: expected [{string.Join(",", expected)}], got [{string.Join(",", actual.Select(e => e.RowKey))}]");
            }
        }
    }

    [Fact]
    public async Task Query_ConditionsAreJoinedWithAnd_AndMayNameTheKeys()
    {
        for (var i = 0; i < 6; i++)
        {
            await Store.InsertAsync(Table, new TableEntity(i % 2 == 0 ? "even" : "odd", $"r{i}") { ["n"] = (long)i, ["s"] = $"it's {i}" });
        }

        var both = await Store.QueryListAsync(Table, new TableQuery()
            .Where("n", FilterOperator.GreaterThanOrEqual, 2L)
            .Where("PartitionKey", FilterOperator.Equal, "even"));
        var quoted = await Store.QueryListAsync(Table, new TableQuery().Where("s", FilterOperator.Equal, "it's 3"));
        var byRow = await Store.QueryListAsync(Table, new TableQuery().Where("RowKey", FilterOperator.LessThan, "r2"));

        Assert.Equal(["r2", "r4"], both.Select(e => e.RowKey));
        Assert.Equal(["r3"], quoted.Select(e => e.RowKey));
        Assert.Equal(["r0", "r1"], byRow.OrderBy(e => e.RowKey, StringComparer.Ordinal).Select(e => e.RowKey));
    }

    // ---- keys and values ----

    public static TheoryData<string> AwkwardKeys => new()
    {
        "", "with space", "it's", "''", "100%", "%20", "%2F", "a+b", "a&b=c:d", "über-ünïcødé", "日本語", "emoji 😀🚀", "(x,y)", "$filter", "~!@*[]{}|;\"<>,.^`",
    };

    [Theory]
    [MemberData(nameof(AwkwardKeys))]
    public async Task Keys_ThatNeedEscaping_WorkInEveryOperation(string key)
    {
        var etag = await Store.InsertAsync(Table, new TableEntity(key, key) { ["v"] = 1L });
        await Store.InsertAsync(Table, new TableEntity(key, "plain") { ["v"] = 2L });
        await Store.InsertAsync(Table, new TableEntity("plain", key) { ["v"] = 3L });

        var read = await Store.GetAsync(Table, key, key);
        Assert.NotNull(read);
        Assert.Equal((key, key, etag), (read.PartitionKey, read.RowKey, read.ETag));
        Assert.Equal(3L, (await Store.GetAsync(Table, "plain", key))!.GetInt64("v"));

        etag = await Store.ReplaceAsync(Table, new TableEntity(key, key) { ["v"] = 4L }, etag);
        etag = await Store.MergeAsync(Table, new TableEntity(key, key) { ["w"] = 5L }, etag);
        await Store.UpsertAsync(Table, new TableEntity(key, "upserted"));

        var partition = await Store.QueryListAsync(Table, TableQuery.Partition(key));
        Assert.Equal(new[] { key, "plain", "upserted" }.Order(StringComparer.Ordinal), partition.Select(e => e.RowKey).Order(StringComparer.Ordinal));
        var byRow = await Store.QueryListAsync(Table, new TableQuery().Where("RowKey", FilterOperator.Equal, key));
        Assert.Equal(new[] { key, "plain" }.Order(StringComparer.Ordinal), byRow.Select(e => e.PartitionKey).Order(StringComparer.Ordinal));

        await Store.ExecuteBatchAsync(Table, [TableOperation.Merge(new TableEntity(key, key) { ["x"] = 6L }, etag), TableOperation.Delete(new TableEntity(key, "plain"))]);
        var merged = (await Store.GetAsync(Table, key, key))!;
        Assert.Equal((4L, 5L, 6L), (merged.GetInt64("v")!.Value, merged.GetInt64("w")!.Value, merged.GetInt64("x")!.Value));
        Assert.Null(await Store.GetAsync(Table, key, "plain"));

        await Store.DeleteAsync(Table, key, key, merged.ETag);
        Assert.Null(await Store.GetAsync(Table, key, key));
    }

    [Fact]
    public async Task ForbiddenKeyCharacters_AreRefusedBeforeAnyWrite()
    {
        foreach (var key in new[] { "a/b", "a\\b", "a#b", "a?b", "a\tb" })
        {
            await Assert.ThrowsAsync<ArgumentException>(() => Store.InsertAsync(Table, new TableEntity("p", key)));
        }

        Assert.Empty(await Store.QueryListAsync(Table, new TableQuery()));
    }

    [Fact]
    public async Task EveryValueType_IncludingLargeValues_RoundTrips()
    {
        var when = new DateTimeOffset(2024, 2, 29, 23, 59, 58, TimeSpan.FromHours(8)).AddTicks(1234567);
        var guid = Guid.NewGuid();
        var bytes = new byte[60 * 1024];
        new Random(42).NextBytes(bytes);
        // 13 UTF-16 units per repeat; the cut at 32,000 falls after "é", never inside the emoji's surrogate pair.
        var text = string.Concat(Enumerable.Repeat("ab'c\"dé😀<&>\n", 32_000 / 13 + 1))[..32_000];
        var entity = new TableEntity("p", "r")
        {
            ["text"] = text,
            ["empty"] = "",
            ["long"] = long.MaxValue,
            ["negative"] = long.MinValue,
            ["int"] = 42,
            ["double"] = 0.1,
            ["wholeDouble"] = 2.0,
            ["negativeDouble"] = -1.5e300,
            ["yes"] = true,
            ["no"] = false,
            ["when"] = when,
            ["guid"] = guid,
            ["bytes"] = bytes,
            ["nothing"] = null,
        };

        await Store.InsertAsync(Table, entity);
        var read = (await Store.GetAsync(Table, "p", "r"))!;
        var queried = Assert.Single(await Store.QueryListAsync(Table, TableQuery.Partition("p")));

        foreach (var copy in new[] { read, queried })
        {
            Assert.Equal(text, Assert.IsType<string>(copy["text"]));
            Assert.Equal("", Assert.IsType<string>(copy["empty"]));
            Assert.Equal(long.MaxValue, Assert.IsType<long>(copy["long"]));
            Assert.Equal(long.MinValue, Assert.IsType<long>(copy["negative"]));
            Assert.Equal(42L, Assert.IsType<long>(copy["int"]));
            Assert.Equal(0.1, Assert.IsType<double>(copy["double"]));
            Assert.Equal(2.0, Assert.IsType<double>(copy["wholeDouble"]));
            Assert.Equal(-1.5e300, Assert.IsType<double>(copy["negativeDouble"]));
            Assert.True(Assert.IsType<bool>(copy["yes"]));
            Assert.False(Assert.IsType<bool>(copy["no"]));
            var readWhen = Assert.IsType<DateTimeOffset>(copy["when"]);
            Assert.Equal(when, readWhen);
            Assert.Equal(when.UtcTicks, readWhen.UtcTicks);
            Assert.Equal(TimeSpan.Zero, readWhen.Offset);
            Assert.Equal(guid, Assert.IsType<Guid>(copy["guid"]));
            Assert.Equal(bytes, Assert.IsType<byte[]>(copy["bytes"]));
            Assert.False(copy.Properties.ContainsKey("nothing"));
            Assert.Equal(13, copy.Properties.Count);
        }
    }

    // ---- batches ----

    [Fact]
    public async Task Batch_AppliesEveryKindOfOperation_AndReturnsETags()
    {
        var replaceETag = await Store.InsertAsync(Table, new TableEntity("p", "replace") { ["a"] = "1", ["b"] = "1" });
        var mergeETag = await Store.InsertAsync(Table, new TableEntity("p", "merge") { ["a"] = "1", ["b"] = "1" });
        await Store.InsertAsync(Table, new TableEntity("p", "upsert") { ["b"] = "1" });
        var deleteETag = await Store.InsertAsync(Table, new TableEntity("p", "delete"));

        var etags = await Store.ExecuteBatchAsync(Table,
        [
            TableOperation.Insert(new TableEntity("p", "insert") { ["a"] = "2" }),
            TableOperation.Replace(new TableEntity("p", "replace") { ["a"] = "2" }, replaceETag),
            TableOperation.Merge(new TableEntity("p", "merge") { ["a"] = "2" }, mergeETag),
            TableOperation.Upsert(new TableEntity("p", "upsert") { ["a"] = "2" }),
            TableOperation.Delete(new TableEntity("p", "delete"), deleteETag),
        ]);

        Assert.Equal(5, etags.Count);
        Assert.Equal("", etags[4]);
        var byRow = (await Store.QueryListAsync(Table, TableQuery.Partition("p"))).ToDictionary(e => e.RowKey);
        Assert.Equal(["insert", "merge", "replace", "upsert"], byRow.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(etags[0], byRow["insert"].ETag);
        Assert.Equal(etags[1], byRow["replace"].ETag);
        Assert.Equal(etags[2], byRow["merge"].ETag);
        Assert.Equal(etags[3], byRow["upsert"].ETag);
        Assert.All(byRow.Values, e => Assert.Equal("2", e.GetString("a")));
        Assert.False(byRow["replace"].Properties.ContainsKey("b"));
        Assert.Equal("1", byRow["merge"].GetString("b"));
        Assert.False(byRow["upsert"].Properties.ContainsKey("b"));
    }

    [Fact]
    public async Task Batch_OnMissingTable_CreatesIt()
    {
        await Store.ExecuteBatchAsync(Table, [TableOperation.Insert(new TableEntity("p", "a")), TableOperation.Upsert(new TableEntity("p", "b"))]);

        Assert.Equal(2, (await Store.QueryListAsync(Table, TableQuery.Partition("p"))).Count);
    }

    [Fact]
    public async Task Batch_WithConflictingInsert_RollsBackAll_AndReportsItsIndex()
    {
        await Store.InsertAsync(Table, new TableEntity("p", "taken") { ["v"] = "original" });
        await Store.InsertAsync(Table, new TableEntity("p", "keep") { ["v"] = "original" });

        var failure = await Assert.ThrowsAsync<BatchFailedException>(() => Store.ExecuteBatchAsync(Table,
        [
            TableOperation.Insert(new TableEntity("p", "new1")),
            TableOperation.Upsert(new TableEntity("p", "keep") { ["v"] = "changed" }),
            TableOperation.Insert(new TableEntity("p", "taken") { ["v"] = "changed" }),
            TableOperation.Insert(new TableEntity("p", "new2")),
        ]));

        Assert.Equal(2, failure.FailedIndex);
        Assert.IsType<EntityAlreadyExistsException>(failure.InnerException);
        await AssertUnchangedAsync();
    }

    [Fact]
    public async Task Batch_WithStaleETag_RollsBackAll_AndReportsItsIndex()
    {
        await Store.InsertAsync(Table, new TableEntity("p", "taken") { ["v"] = "original" });
        var stale = await Store.InsertAsync(Table, new TableEntity("p", "keep") { ["v"] = "original" });
        await Store.MergeAsync(Table, new TableEntity("p", "keep") { ["v"] = "original" }, stale);

        var failure = await Assert.ThrowsAsync<BatchFailedException>(() => Store.ExecuteBatchAsync(Table,
        [
            TableOperation.Insert(new TableEntity("p", "new1")),
            TableOperation.Delete(new TableEntity("p", "taken")),
            TableOperation.Replace(new TableEntity("p", "keep") { ["v"] = "changed" }, stale),
        ]));

        Assert.Equal(2, failure.FailedIndex);
        Assert.IsType<PreconditionFailedException>(failure.InnerException);
        await AssertUnchangedAsync();
    }

    [Fact]
    public async Task Batch_WithMissingEntity_ReportsNotFoundAtItsIndex()
    {
        await Store.InsertAsync(Table, new TableEntity("p", "taken") { ["v"] = "original" });
        await Store.InsertAsync(Table, new TableEntity("p", "keep") { ["v"] = "original" });

        var failure = await Assert.ThrowsAsync<BatchFailedException>(() => Store.ExecuteBatchAsync(Table,
        [
            TableOperation.Merge(new TableEntity("p", "absent") { ["v"] = "changed" }),
            TableOperation.Insert(new TableEntity("p", "new1")),
        ]));

        Assert.Equal(0, failure.FailedIndex);
        Assert.IsType<EntityNotFoundException>(failure.InnerException);
        await AssertUnchangedAsync();
    }

    [Fact]
    public async Task Batch_OfExactly100_IsAccepted_AndMoreAreRefused()
    {
        var hundred = Enumerable.Range(0, 100).Select(i => TableOperation.Insert(new TableEntity("p", $"r{i:D3}"))).ToList();
        var tooMany = Enumerable.Range(0, 101).Select(i => TableOperation.Insert(new TableEntity("q", $"r{i:D3}"))).ToList();

        await Assert.ThrowsAsync<ArgumentException>(() => Store.ExecuteBatchAsync(Table, tooMany));
        await Assert.ThrowsAsync<ArgumentException>(() => Store.ExecuteBatchAsync(Table, []));
        Assert.Equal(100, (await Store.ExecuteBatchAsync(Table, hundred)).Count);

        Assert.Equal(100, (await Store.QueryListAsync(Table, new TableQuery())).Count);
    }

    [Fact]
    public async Task Batch_AcrossPartitionsOrWithRepeatedRows_IsRefused()
    {
        await Assert.ThrowsAsync<ArgumentException>(() => Store.ExecuteBatchAsync(Table,
            [TableOperation.Insert(new TableEntity("p", "a")), TableOperation.Insert(new TableEntity("q", "b"))]));
        await Assert.ThrowsAsync<ArgumentException>(() => Store.ExecuteBatchAsync(Table,
            [TableOperation.Insert(new TableEntity("p", "a")), TableOperation.Upsert(new TableEntity("p", "a"))]));

        Assert.Empty(await Store.QueryListAsync(Table, new TableQuery()));
    }

    private async Task AssertUnchangedAsync()
    {
        var rows = await Store.QueryListAsync(Table, TableQuery.Partition("p"));
        Assert.Equal(["keep", "taken"], rows.Select(e => e.RowKey));
        Assert.All(rows, e => Assert.Equal("original", e.GetString("v")));
    }

    private static object[] FilterValues(string type) => type switch
    {
        "string" => ["", "A", "a", "a b", "ab", "b", "it's", "z~"],
        "long" => [long.MinValue, -10L, -9L, -1L, 0L, 9L, 10L, 100L, 5_000_000_000L, long.MaxValue],
        "int" => [-10, -1, 0, 9, 10, 100],
        "double" => [-1.5e10, -2.5, -0.5, -1e-7, 0.0, 1.5e-10, 0.1, 1.0, 2.0, 10.0, 1e20, 1.7976931348623157e308],
        "date" =>
        [
            new DateTimeOffset(1999, 12, 31, 23, 59, 59, TimeSpan.Zero),
            new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero),
            // One millisecond apart: Azurite compares dates in filters at millisecond precision (JavaScript dates).
            new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero).AddMilliseconds(1),
            new DateTimeOffset(2024, 1, 1, 9, 0, 0, TimeSpan.FromHours(8)),
            new DateTimeOffset(2030, 6, 15, 12, 30, 0, TimeSpan.FromHours(-5)),
        ],
        "bool" => [true, false],
        "guid" => [Guid.Parse("00000000-0000-0000-0000-000000000001"), Guid.Parse("ffffffff-0000-0000-0000-000000000000"), Guid.NewGuid()],
        "binary" => [new byte[] { 1, 2, 3 }, new byte[] { 1, 2, 4 }, new byte[] { 0xff }],
        _ => throw new ArgumentOutOfRangeException(nameof(type)),
    };

    // The entity indexer stores ints as longs; the pivots of the "int" case stay ints, as a caller would pass them.
    private static int Compare(object stored, object pivot) => (stored, pivot is int i ? (long)i : pivot) switch
    {
        (string a, string b) => string.CompareOrdinal(a, b),
        (long a, long b) => a.CompareTo(b),
        (double a, double b) => a.CompareTo(b),
        (DateTimeOffset a, DateTimeOffset b) => a.UtcTicks.CompareTo(b.UtcTicks),
        (bool a, bool b) => a.CompareTo(b),
        (Guid a, Guid b) => a == b ? 0 : 1,
        (byte[] a, byte[] b) => a.AsSpan().SequenceEqual(b) ? 0 : 1,
        _ => throw new InvalidOperationException($"Cannot compare {stored.GetType()} with {pivot.GetType()}."),
    };

    private static bool Matches(int comparison, FilterOperator op) => op switch
    {
        FilterOperator.Equal => comparison == 0,
        FilterOperator.NotEqual => comparison != 0,
        FilterOperator.GreaterThan => comparison > 0,
        FilterOperator.GreaterThanOrEqual => comparison >= 0,
        FilterOperator.LessThan => comparison < 0,
        FilterOperator.LessThanOrEqual => comparison <= 0,
        _ => throw new ArgumentOutOfRangeException(nameof(op)),
    };

    private static string Describe(object value) => value is byte[] b ? Convert.ToHexString(b) : value.ToString() ?? "";
}
