using NodeOps.Tests.TestBed;

namespace NodeOps.Tests.Executions;

/// <summary>
/// Kills the OS process that runs the dispatcher in the middle of an execution, starts a new one on the same data
/// folder, and checks the engine's promise: no node ran twice, nodes that were running are interrupted, nodes that
/// never started ran, and the final counts add up.
/// </summary>
[Collection(SshNodesCollection.Name)]
public sealed class CrashRecoveryTests(SshNodes nodes) : IDisposable
{
    private readonly CrashTestBed _bed = new("crash");

    [Fact]
    public async Task KilledDispatcherProcess_NewInstanceResumes_NoNodeRunsTwiceAndCountsAddUp()
    {
        var token = Guid.NewGuid().ToString("N")[..10];
        var targets = nodes.Sshd.Nodes.Take(20).ToList();
        var catalogFile = _bed.CatalogFile;
        FixtureCatalog.For(nodes.Sshd).Save(catalogFile);
        
        var first = await _bed.StartAsync();
        using var client = await first.SignInAsync();
        var taskId = await ExecutionApiClient.StartAsync(client, "ssh", new
        {
            cluster_name = "test",
            target_nodes = targets.Select(n => n.Name).ToArray(),
            credential_id = 1,
            command = $"echo run >> \"$NODEOPS_NODE_DIR/crash-{token}.log\"; sleep 3",
            max_concurrent = 4,
            timeout = 60,
        });
        await ExecutionApiClient.WaitForAsync(client, "ssh", taskId,
            s => s.GetProperty("counts").GetProperty("success").GetInt32() >= 4 && s.GetProperty("counts").GetProperty("running").GetInt32() >= 1,
            TimeSpan.FromSeconds(60), "some nodes done and some running");

        first.Kill();
        var second = await _bed.StartAsync();
        using var again = await second.SignInAsync();
        var status = await ExecutionApiClient.WaitForFinalAsync(again, "ssh", taskId, TimeSpan.FromSeconds(90));

        var results = ExecutionApiClient.ResultsByNode(status);
        var counts = status.GetProperty("counts");
        var success = results.Values.Count(r => r.GetProperty("status").GetString() == "success");
        var interrupted = results.Values.Count(r => r.GetProperty("status").GetString() == "interrupted");
        Assert.Equal(20, results.Count);
        Assert.Equal(20, success + interrupted);
        Assert.True(interrupted >= 1, status.ToString());
        Assert.True(success >= 4 + 1, status.ToString());
        Assert.Equal("failed", status.GetProperty("status").GetString());
        Assert.Equal(success, counts.GetProperty("success").GetInt32());
        Assert.Equal(interrupted, counts.GetProperty("interrupted").GetInt32());
        Assert.Equal(0, counts.GetProperty("pending").GetInt32() + counts.GetProperty("running").GetInt32());
        foreach (var node in targets)
        {
            var runs = SshdFixture.CountLines(node, $"crash-{token}.log");
            var nodeStatus = results[node.Name].GetProperty("status").GetString();
            Assert.True(runs <= 1, $"{node.Name} ran {runs} times");
            if (nodeStatus == "success")
            {
                Assert.Equal(1, runs);
            }
        }
    }

    public void Dispose() => _bed.Dispose();
}
