using DurableTask.Core;
using DurableTask.Core.History;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using NodeOps.Orchestration.Sqlite;
using NodeOps.Tests.TestBed;

namespace NodeOps.Tests.Orchestration;

/// <summary>What only the SQLite store promises: an owner-only WAL file, and leases that pass to another process once they run out.</summary>
public sealed class SqliteOrchestrationStoreTests : IDisposable
{
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(30);

    private readonly string _folder = Directory.CreateTempSubdirectory("nodeops-orchestration-store-").FullName;
    private readonly ManualTimeProvider _clock = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));

    private string DataFile => Path.Combine(_folder, "orchestration.db");

    [Fact]
    public async Task The_store_is_one_owner_only_file_in_WAL_mode()
    {
        using var service = await StartServiceAsync();

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(DataFile));
        using var connection = new SqliteConnection($"Data Source={DataFile}");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode";
        Assert.Equal("wal", command.ExecuteScalar() as string);
    }

    [Fact]
    public async Task An_instance_leased_by_a_process_that_went_quiet_passes_to_another_once_the_lease_runs_out()
    {
        using var first = await StartServiceAsync();
        using var second = await StartServiceAsync();
        await first.CreateTaskOrchestrationAsync(StartMessage("leased"));

        var taken = await first.LockNextTaskOrchestrationWorkItemAsync(TimeSpan.FromSeconds(30), CancellationToken.None);
        Assert.Equal("leased", taken?.InstanceId);
        Assert.Null(await second.LockNextTaskOrchestrationWorkItemAsync(TimeSpan.FromMilliseconds(300), CancellationToken.None));

        _clock.Advance(Lease + TimeSpan.FromSeconds(1));

        var takenOver = await second.LockNextTaskOrchestrationWorkItemAsync(TimeSpan.FromSeconds(30), CancellationToken.None);
        Assert.Equal("leased", takenOver?.InstanceId);
        Assert.Single(takenOver!.NewMessages);
        Assert.IsType<ExecutionStartedEvent>(takenOver.NewMessages[0].Event);
        await Assert.ThrowsAsync<InvalidOperationException>(() => first.RenewTaskOrchestrationWorkItemLockAsync(taken!));
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    private async Task<SqliteOrchestrationService> StartServiceAsync()
    {
        var service = new SqliteOrchestrationService(new SqliteOrchestrationOptions(DataFile) { LeaseDuration = Lease }, _clock, NullLoggerFactory.Instance);
        await service.CreateIfNotExistsAsync();
        await service.StartAsync();
        return service;
    }

    private static TaskMessage StartMessage(string instanceId)
    {
        var instance = new OrchestrationInstance { InstanceId = instanceId, ExecutionId = "1" };
        return new TaskMessage
        {
            OrchestrationInstance = instance,
            Event = new ExecutionStartedEvent(-1, null) { OrchestrationInstance = instance, Name = "Any", Version = string.Empty },
        };
    }
}
