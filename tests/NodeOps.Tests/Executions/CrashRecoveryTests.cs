using NodeOps.Tests.TestBed;

namespace NodeOps.Tests.Executions;

/// <summary>The crash scenario on the embedded default: the SQLite table and orchestration stores in the data folder.</summary>
[Collection(SshNodesCollection.Name)]
public sealed class CrashRecoveryTests(SshNodes nodes) : IDisposable
{
    private readonly CrashTestBed _bed = new("crash");

    [Fact]
    public Task KilledProcess_NewInstanceResumes_NoNodeRunsTwiceAndCountsAddUp() =>
        CrashRecoveryScenario.RunAsync(_bed, nodes.Sshd, "test", 20);

    public void Dispose() => _bed.Dispose();
}
