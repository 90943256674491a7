using NodeOps.Tests.TestBed;

namespace NodeOps.Tests.Executions;

/// <summary>
/// Kills the OS process that runs an execution in the middle of it (kill -9), starts a new one on the same store,
/// and checks the engine's promise: no node ran twice, nodes that were running are interrupted, nodes that never
/// started ran without anyone asking, nothing stays running, and the final counts add up.
/// </summary>
public static class CrashRecoveryScenario
{
    public static async Task RunAsync(CrashTestBed bed, SshdFixture sshd, string cluster, int nodeCount)
    {
        ArgumentNullException.ThrowIfNull(bed);
        ArgumentNullException.ThrowIfNull(sshd);
        var token = Guid.NewGuid().ToString("N")[..10];
        var targets = sshd.Nodes.Take(nodeCount).ToList();
        FixtureCatalog.For(sshd, cluster).Save(bed.CatalogFile);

        var first = await bed.StartAsync();
        using var client = await first.SignInAsync();
        var taskId = await ExecutionApiClient.StartAsync(client, "ssh", new
        {
            cluster_name = cluster,
            target_nodes = targets.Select(n => n.Name).ToArray(),
            credential_id = 1,
            command = $"echo run >> \"$NODEOPS_NODE_DIR/crash-{token}.log\"; sleep 3",
            max_concurrent = 4,
            timeout = 60,
        });
        await ExecutionApiClient.WaitForAsync(client, "ssh", taskId,
            s => s.GetProperty("counts").GetProperty("success").GetInt32() >= 4 && s.GetProperty("counts").GetProperty("running").GetInt32() >= 1,
            TimeSpan.FromSeconds(90), "some nodes done and some running");

        first.Kill();
        var second = await bed.StartAsync();
        using var again = await second.SignInAsync();
        var status = await ExecutionApiClient.WaitForFinalAsync(again, "ssh", taskId, TimeSpan.FromSeconds(180));

        var results = ExecutionApiClient.ResultsByNode(status);
        var counts = status.GetProperty("counts");
        var success = results.Values.Count(r => r.GetProperty("status").GetString() == "success");
        var interrupted = results.Values.Count(r => r.GetProperty("status").GetString() == "interrupted");
        Assert.Equal(nodeCount, results.Count);
        Assert.Equal(nodeCount, success + interrupted);
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
}
