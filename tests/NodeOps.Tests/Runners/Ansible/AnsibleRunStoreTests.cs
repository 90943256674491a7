using Microsoft.Extensions.DependencyInjection;
using NodeOps.Executions.Kinds;
using NodeOps.Storage;
using NodeOps.Tests.TestBed;

namespace NodeOps.Tests.Runners.Ansible;

public sealed class AnsibleRunStoreTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("nodeops-ansible-store-").FullName;
    private readonly ServiceProvider _services;
    private readonly AnsibleRunStore _store;

    public AnsibleRunStoreTests()
    {
        _services = StorageServices.Build(_folder, StorageServices.Sqlite(Path.Combine(_folder, "store.db")));
        _store = new AnsibleRunStore(_services.GetRequiredService<ITableStore>());
    }

    [Fact]
    public async Task OutputBeyondTheLimit_KeepsTheTailAndPagesByAbsoluteOffset()
    {
        var log = new AnsibleOutputLog(_store, "ansible-exec-1-store1", limit: AnsibleRunStore.ChunkChars * 2);
        var text = string.Concat(Enumerable.Range(0, 9000).Select(i => $"line {i:D5} of output\n"));
        foreach (var piece in text.Chunk(7777).Select(c => new string(c)))
        {
            log.Append(piece);
            await log.FlushAsync();
        }

        var (total, start) = await log.FlushAsync();
        var state = new AnsibleRunState { OutputChars = total, OutputStart = start };

        Assert.Equal(text.Length, total);
        Assert.True(start > 0 && total - start <= AnsibleRunStore.ChunkChars * 3, $"kept from {start} of {total}");
        var tail = await _store.ReadOutputAsync("ansible-exec-1-store1", state, null, 1000);
        Assert.Equal(text[^1000..], tail.Text);
        Assert.True(tail.Truncated);
        Assert.Null(tail.NextOffset);

        var pages = new List<string>();
        long? offset = 0;
        for (var i = 0; i < 100 && offset is { } at; i++)
        {
            var page = await _store.ReadOutputAsync("ansible-exec-1-store1", state, at, 12_345);
            pages.Add(page.Text);
            offset = page.NextOffset;
        }

        Assert.Equal(text[(int)start..], string.Concat(pages));
    }

    [Fact]
    public async Task SurrogatePairs_AreNeverSplitAtAPageEdge()
    {
        var log = new AnsibleOutputLog(_store, "ansible-exec-1-store2", limit: 1_000_000);
        var text = string.Concat(Enumerable.Repeat("节点😀", 20_000));
        log.Append(text);
        var (total, start) = await log.FlushAsync();
        var state = new AnsibleRunState { OutputChars = total, OutputStart = start };

        var pages = new List<string>();
        long? offset = 0;
        for (var i = 0; i < 1000 && offset is { } at; i++)
        {
            var page = await _store.ReadOutputAsync("ansible-exec-1-store2", state, at, 999);
            Assert.False(page.Text.Length > 0 && char.IsLowSurrogate(page.Text[0]));
            Assert.False(page.Text.Length > 0 && char.IsHighSurrogate(page.Text[^1]));
            pages.Add(page.Text);
            offset = page.NextOffset;
        }

        Assert.Equal(text, string.Concat(pages));
    }

    public void Dispose()
    {
        _services.Dispose();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
