using NodeOps.Tests.TestBed;

namespace NodeOps.Tests.Executions;

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
    public Task KilledProcess_NewInstanceResumes_NoNodeRunsTwiceAndCountsAddUp() =>
        CrashRecoveryScenario.RunAsync(_bed, _sshd, "azcrash", 12);
}
