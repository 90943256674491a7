using NodeOps.Tests.TestBed;

namespace NodeOps.Tests.Executions;

/// <summary>The crash scenario on the embedded default: the SQLite table and orchestration stores in the data folder.</summary>
[Collection(SshNodesCollection.Name)]
public sealed class CrashRecoveryTests(SshNodes nodes) : IDisposable
{
    private readonly CrashTestBed _bed = new("crash");

    [Fact]
    public async Task KilledProcess_NewInstanceResumes_NoNodeRunsTwiceAndCountsAddUp()
    {
        var outcome = await CrashRecoveryScenario.RunAsync(_bed, nodes.Sshd, "test", 20);

        AssertPromiseKept(outcome, 20);
    }

    public void Dispose() => _bed.Dispose();

    /// <summary>
    /// The engine's promise after a crash, on any backend: no node ran twice, nodes that were running are interrupted,
    /// nodes that never started ran without anyone asking, nothing stays running, and the final counts add up.
    /// </summary>
    internal static void AssertPromiseKept(CrashOutcome outcome, int nodeCount)
    {
        var results = ExecutionApiClient.ResultsByNode(outcome.Status);
        var counts = outcome.Status.GetProperty("counts");
        var success = results.Values.Count(r => r.GetProperty("status").GetString() == "success");
        var interrupted = results.Values.Count(r => r.GetProperty("status").GetString() == "interrupted");
        Assert.Equal(nodeCount, results.Count);
        Assert.Equal(nodeCount, success + interrupted);
        Assert.True(interrupted >= 1, outcome.Status.ToString());
        Assert.True(success >= 4 + 1, outcome.Status.ToString());
        Assert.Equal("failed", outcome.Status.GetProperty("status").GetString());
        Assert.Equal(success, counts.GetProperty("success").GetInt32());
        Assert.Equal(interrupted, counts.GetProperty("interrupted").GetInt32());
        Assert.Equal(0, counts.GetProperty("pending").GetInt32() + counts.GetProperty("running").GetInt32());
        foreach (var (node, runs) in outcome.Runs)
        {
            Assert.True(runs <= 1, $"{node} ran {runs} times");
            if (results[node].GetProperty("status").GetString() == "success")
            {
                Assert.Equal(1, runs);
            }
        }
    }
}

/// <summary>
/// The crash scenario on Azure Storage (Azurite): the table store and the Durable Task hub of the killed process
/// are taken over by the new one once its partition leases and message visibility time out.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class AzureCrashRecoveryTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private readonly CrashTestBed _bed = new("azcrash", new Dictionary<string, string?>
    {
        ["Storage:Provider"] = "AzureStorage",
        ["Storage:ConnectionString"] = azurite.ConnectionString,
        ["Storage:TablePrefix"] = "t" + Guid.NewGuid().ToString("N")[..8],
        ["Orchestration:LeaseDuration"] = "00:00:10",
        ["Orchestration:MaxPollInterval"] = "00:00:00.500",
        ["Orchestration:PartitionCount"] = "2",
    });

    private SshdFixture _sshd = null!;

    public async Task InitializeAsync() => _sshd = await SshdFixture.StartAsync(12, "azcrash");

    public async Task DisposeAsync()
    {
        _bed.Dispose();
        await _sshd.DisposeAsync();
    }

    [Fact]
    public async Task KilledProcess_NewInstanceResumes_NoNodeRunsTwiceAndCountsAddUp()
    {
        var outcome = await CrashRecoveryScenario.RunAsync(_bed, _sshd, "azcrash", 12);

        Assert.Equal(12, outcome.Runs.Count);
        CrashRecoveryTests.AssertPromiseKept(outcome, 12);
    }
}
