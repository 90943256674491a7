using NodeOps.Progress;
using NodeOps.Runners.Ansible;

namespace NodeOps.Executions.Kinds;

/// <summary>
/// Follows one playbook run: folds the callback events into per-host state (recap counts, current task, failure),
/// collects the output, and publishes a progress event for every task start and every host result.
/// </summary>
internal sealed class AnsibleRunTracker(
    ExecutionRecord execution,
    AnsibleOutputLog output,
    IProgressPublisher progress,
    ExecutionProgressTracker counts,
    TimeProvider time) : IAnsibleRunObserver
{
    private readonly object _gate = new();
    private readonly Dictionary<string, AnsibleHostState> _hosts = new(StringComparer.Ordinal);
    private AnsibleRunState _state = new();
    private long _version;

    /// <summary>Changes since construction; a flush writes the state when this moved.</summary>
    public long Version => Interlocked.Read(ref _version);

    public AnsibleRunState Snapshot()
    {
        lock (_gate)
        {
            return _state with { Hosts = new Dictionary<string, AnsibleHostState>(_hosts, StringComparer.Ordinal) };
        }
    }

    public AnsibleHostState? Host(string name)
    {
        lock (_gate)
        {
            return _hosts.GetValueOrDefault(name);
        }
    }

    public void OnOutput(string text)
    {
        output.Append(text);
        Interlocked.Increment(ref _version);
    }

    public void OnEvent(AnsibleEvent runEvent)
    {
        ArgumentNullException.ThrowIfNull(runEvent);
        ProgressEvent? published = null;
        lock (_gate)
        {
            switch (runEvent.Event)
            {
                case AnsibleEvent.PlaybookStart:
                    _state = _state with { ProcessGroup = runEvent.Pgid };
                    break;
                case AnsibleEvent.PlayStart:
                    _state = _state with { Play = runEvent.Play };
                    published = Event($"PLAY [{runEvent.Play}]", null, new { kind = execution.Kind, status = "running", play = runEvent.Play });
                    break;
                case AnsibleEvent.TaskStart:
                    _state = _state with { Task = runEvent.Task, TasksStarted = _state.TasksStarted + 1 };
                    published = Event($"TASK [{runEvent.Task}]", null, new { kind = execution.Kind, status = "running", play = _state.Play, task = runEvent.Task, handler = runEvent.Handler });
                    break;
                case AnsibleEvent.HostStart when runEvent.Host is not null:
                    _hosts[runEvent.Host] = HostOf(runEvent.Host) with { Task = runEvent.Task };
                    break;
                case AnsibleEvent.HostResult when runEvent.Host is not null:
                    var host = Apply(HostOf(runEvent.Host), runEvent);
                    _hosts[runEvent.Host] = host;
                    published = Event($"{runEvent.Host}: {runEvent.Status} (TASK [{runEvent.Task}])", runEvent.Host, new
                    {
                        kind = execution.Kind,
                        status = "running",
                        node = runEvent.Host,
                        task = runEvent.Task,
                        result = runEvent.Status,
                        message = runEvent.Message,
                        recap = host.Recap,
                    });
                    break;
                case AnsibleEvent.Stats when runEvent.Hosts is not null:
                    foreach (var (name, recap) in runEvent.Hosts)
                    {
                        var current = HostOf(name);
                        _hosts[name] = current with
                        {
                            Recap = recap,
                            Failed = recap.Failed > 0 || recap.Unreachable > 0,
                            Unreachable = recap.Unreachable > 0,
                        };
                    }

                    _state = _state with { RecapFinal = true };
                    break;
                default:
                    break;
            }

            Interlocked.Increment(ref _version);
        }

        if (published is not null)
        {
            progress.Publish(published);
        }
    }

    private AnsibleHostState HostOf(string name) => _hosts.GetValueOrDefault(name) ?? new AnsibleHostState();

    private static AnsibleHostState Apply(AnsibleHostState host, AnsibleEvent result)
    {
        var recap = host.Recap;
        recap = result.Status switch
        {
            "ok" => recap with { Ok = recap.Ok + 1 },
            "changed" => recap with { Ok = recap.Ok + 1, Changed = recap.Changed + 1 },
            "failed" => recap with { Failed = recap.Failed + 1 },
            "ignored" => recap with { Ok = recap.Ok + 1, Ignored = recap.Ignored + 1, Changed = recap.Changed + (result.Changed == true ? 1 : 0) },
            "skipped" => recap with { Skipped = recap.Skipped + 1 },
            "unreachable" => recap with { Unreachable = recap.Unreachable + 1 },
            _ => recap,
        };
        var failed = result.Status is "failed" or "unreachable";
        return host with
        {
            Recap = recap,
            Task = result.Task,
            LastResult = result.Status,
            Failed = host.Failed || failed,
            Unreachable = host.Unreachable || result.Status == "unreachable",
            FailedTask = failed && !host.Failed ? result.Task : host.FailedTask,
            Message = failed || (!host.Failed && result.Message is not null) ? result.Message ?? host.Message : host.Message,
        };
    }

    private ProgressEvent Event(string message, string? node, object data)
    {
        var (finished, total) = counts.Current(execution.TaskId);
        return new ProgressEvent
        {
            TaskId = execution.TaskId,
            Type = ProgressEventTypes.Progress,
            Progress = ProgressEvent.Percent(finished, total),
            Message = message,
            Current = finished,
            Total = total,
            CurrentNode = node,
            Timestamp = time.GetUtcNow(),
            Data = data,
        };
    }
}
