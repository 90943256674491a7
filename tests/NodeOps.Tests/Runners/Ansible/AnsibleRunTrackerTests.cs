using Microsoft.Extensions.DependencyInjection;
using NodeOps.Executions;
using NodeOps.Executions.Kinds;
using NodeOps.Progress;
using NodeOps.Runners.Ansible;
using NodeOps.Storage;
using NodeOps.Tests.TestBed;

namespace NodeOps.Tests.Runners.Ansible;

public sealed class AnsibleRunTrackerTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("nodeops-ansible-tracker-").FullName;
    private readonly ServiceProvider _services;
    private readonly Recorder _published = new();
    private readonly AnsibleRunTracker _tracker;

    public AnsibleRunTrackerTests()
    {
        _services = StorageServices.Build(_folder, StorageServices.Sqlite(Path.Combine(_folder, "store.db")));
        var execution = new ExecutionRecord
        {
            TaskId = "ansible-exec-1-track1",
            Id = 1,
            Kind = "ansible",
            ClusterName = "c",
            TargetNodes = ["a", "b"],
            Payload = System.Text.Json.JsonSerializer.SerializeToElement(new { }),
        };
        var output = new AnsibleOutputLog(new AnsibleRunStore(_services.GetRequiredService<ITableStore>()), execution.TaskId, 1_000_000);
        _tracker = new AnsibleRunTracker(execution, output, _published, new ExecutionProgressTracker(), TimeProvider.System);
    }

    [Fact]
    public void Events_PublishOneProgressEventPerTaskAndHostResult_AndFoldIntoHostState()
    {
        _tracker.OnEvent(new AnsibleEvent { Event = AnsibleEvent.PlayStart, Play = "p" });
        _tracker.OnEvent(new AnsibleEvent { Event = AnsibleEvent.TaskStart, Task = "t1" });
        _tracker.OnEvent(new AnsibleEvent { Event = AnsibleEvent.HostStart, Host = "a", Task = "t1" });
        _tracker.OnEvent(new AnsibleEvent { Event = AnsibleEvent.HostResult, Host = "a", Task = "t1", Status = "changed", Changed = true });
        _tracker.OnEvent(new AnsibleEvent { Event = AnsibleEvent.HostResult, Host = "b", Task = "t1", Status = "failed", Message = "boom" });
        _tracker.OnEvent(new AnsibleEvent { Event = AnsibleEvent.TaskStart, Task = "t2" });
        _tracker.OnEvent(new AnsibleEvent { Event = AnsibleEvent.HostResult, Host = "a", Task = "t2", Status = "skipped" });
        _tracker.OnEvent(new AnsibleEvent { Event = AnsibleEvent.HostResult, Host = "c", Task = "t2", Status = "unreachable", Message = "gone" });

        Assert.Equal(["PLAY [p]", "TASK [t1]", "a: changed (TASK [t1])", "b: failed (TASK [t1])", "TASK [t2]", "a: skipped (TASK [t2])", "c: unreachable (TASK [t2])"],
            _published.Events.Select(e => e.Message).ToArray());
        Assert.Equal(["a", "b", "a", "c"], _published.Events.Where(e => e.CurrentNode is not null).Select(e => e.CurrentNode!).ToArray());
        var a = _tracker.Host("a")!;
        Assert.Equal(new AnsibleHostRecap { Ok = 1, Changed = 1, Skipped = 1 }, a.Recap);
        Assert.False(a.Failed);
        var b = _tracker.Host("b")!;
        Assert.True(b.Failed);
        Assert.Equal("t1", b.FailedTask);
        Assert.Equal("boom", b.Message);
        Assert.True(_tracker.Host("c")!.Unreachable);
        Assert.Equal("t2", _tracker.Snapshot().Task);
    }

    [Fact]
    public void Stats_ReplaceTheCountedRecap()
    {
        _tracker.OnEvent(new AnsibleEvent { Event = AnsibleEvent.HostResult, Host = "a", Task = "t1", Status = "failed", Message = "rescued later" });
        _tracker.OnEvent(new AnsibleEvent
        {
            Event = AnsibleEvent.Stats,
            Hosts = new Dictionary<string, AnsibleHostRecap> { ["a"] = new() { Ok = 3, Rescued = 1 } },
        });

        var a = _tracker.Host("a")!;
        Assert.Equal(new AnsibleHostRecap { Ok = 3, Rescued = 1 }, a.Recap);
        Assert.False(a.Failed);
        Assert.True(_tracker.Snapshot().RecapFinal);
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

    private sealed class Recorder : IProgressPublisher
    {
        public List<ProgressEvent> Events { get; } = [];

        public void Publish(ProgressEvent progressEvent) => Events.Add(progressEvent);
    }
}
