using NodeOps.Tests.TestBed;

namespace NodeOps.Tests.Executions;

/// <summary>
/// Kills the OS process that runs an execution in the middle of it (kill -9), starts a new one on the same store, and
/// returns what the run ended as: its final status view and how many times each node actually ran the command.
/// </summary>
public static class CrashRecoveryScenario
{
    public static async Task<CrashOutcome> RunAsync(CrashTestBed bed, SshdFixture sshd, string cluster, int nodeCount)
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

        return new CrashOutcome(status, targets.ToDictionary(n => n.Name, n => SshdFixture.CountLines(n, $"crash-{token}.log")));
    }
}

/// <summary>An execution's final status view after the crash, and the times each target node really ran its command.</summary>
public sealed record CrashOutcome(System.Text.Json.JsonElement Status, IReadOnlyDictionary<string, int> Runs);
