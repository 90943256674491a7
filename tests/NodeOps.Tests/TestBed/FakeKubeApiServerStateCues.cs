using System.Text.Json.Nodes;

namespace NodeOps.Tests.TestBed;

/// <summary>
/// The fake cluster's behaviours over time, for drain and readiness tests: evicted or deleted pods that take a few
/// reads to go (as terminating pods do), budgets that refuse a set number of times, node conditions that change on cue,
/// and a record of what was deleted.
/// </summary>
public sealed partial class FakeKubeApiServerState
{
    private readonly Dictionary<(string Namespace, string Name), int> _refusalsLeft = [];
    private readonly Dictionary<(string Namespace, string Name), int> _terminating = [];
    private readonly Dictionary<string, Queue<(bool Ready, string? BootId)>> _nodeCues = new(StringComparer.Ordinal);
    private readonly List<string> _deletions = [];

    /// <summary>How many pod list/get answers an evicted or deleted pod still appears in (terminating) before it is gone.</summary>
    public int TerminationReads { get; set; }

    /// <summary>"namespace/name" of every pod deleted with DELETE (not evicted), in order.</summary>
    public IReadOnlyList<string> Deletions
    {
        get
        {
            lock (_lock)
            {
                return [.. _deletions];
            }
        }
    }

    /// <summary>Sets the node's Ready condition (True, or Unknown as when the kubelet stops posting) and, when given, its boot id.</summary>
    public void SetNodeReady(string name, bool ready, string? bootId = null)
    {
        lock (_lock)
        {
            ApplyNodeState(name, ready, bootId);
        }
    }

    /// <summary>Queues node states applied one per read of that node: the cue is the client's next GET.</summary>
    public void CueNodeStates(string name, params (bool Ready, string? BootId)[] states)
    {
        lock (_lock)
        {
            if (!_nodeCues.TryGetValue(name, out var queue))
            {
                _nodeCues[name] = queue = new Queue<(bool, string?)>();
            }

            foreach (var state in states)
            {
                queue.Enqueue(state);
            }
        }
    }

    /// <summary>Called by the server before it answers a read of the node: applies the next cued state, if any.</summary>
    internal void OnNodeRead(string name)
    {
        lock (_lock)
        {
            if (_nodeCues.TryGetValue(name, out var queue) && queue.TryDequeue(out var next))
            {
                ApplyNodeState(name, next.Ready, next.BootId);
            }
        }
    }

    /// <summary>Called by the server before it answers a pod list or get: terminating pods come one read closer to gone.</summary>
    internal void OnPodRead()
    {
        lock (_lock)
        {
            foreach (var (key, left) in _terminating.ToList())
            {
                if (left <= 1)
                {
                    _terminating.Remove(key);
                    _objects.Remove((FakeKubeApiServerResources.Pods, key.Namespace, key.Name));
                }
                else
                {
                    _terminating[key] = left - 1;
                }
            }
        }
    }

    /// <summary>DELETE of a pod: recorded, then terminating like an evicted one. False when there is no such pod.</summary>
    public bool DeletePod(string @namespace, string name)
    {
        lock (_lock)
        {
            if (!_objects.TryGetValue((FakeKubeApiServerResources.Pods, @namespace, name), out var pod))
            {
                return false;
            }

            _deletions.Add($"{@namespace}/{name}");
            Terminate(@namespace, name, pod);
            return true;
        }
    }

    /// <summary>Marks the pod terminating (deletionTimestamp) for <see cref="TerminationReads"/> reads, or removes it now. Holds the lock.</summary>
    private void Terminate(string @namespace, string name, JsonObject pod)
    {
        if (TerminationReads <= 0)
        {
            _objects.Remove((FakeKubeApiServerResources.Pods, @namespace, name));
            return;
        }

        if (!_terminating.ContainsKey((@namespace, name)))
        {
            var metadata = (JsonObject)pod["metadata"]!;
            metadata["deletionTimestamp"] = Stamp(Now);
            metadata["resourceVersion"] = NextVersion();
            _terminating[(@namespace, name)] = TerminationReads;
        }
    }

    private void ApplyNodeState(string name, bool ready, string? bootId)
    {
        if (!_objects.TryGetValue((FakeKubeApiServerResources.Nodes, "", name), out var node))
        {
            throw new KeyNotFoundException(name);
        }

        var now = Stamp(Now);
        foreach (var condition in ((JsonArray)node["status"]!["conditions"]!).OfType<JsonObject>().Where(c => c["type"]?.GetValue<string>() == "Ready"))
        {
            condition["status"] = ready ? "True" : "Unknown";
            condition["reason"] = ready ? "KubeletReady" : "NodeStatusUnknown";
            condition["message"] = ready ? "kubelet is posting ready status" : "Kubelet stopped posting node status.";
            condition["lastTransitionTime"] = now;
            condition["lastHeartbeatTime"] = now;
        }

        if (bootId is not null)
        {
            node["status"]!["nodeInfo"]!["bootID"] = bootId;
        }

        ((JsonObject)node["metadata"]!)["resourceVersion"] = NextVersion();
    }

    /// <summary>Current count of budget refusals left, for assertions.</summary>
    public int RefusalsLeft(string @namespace, string budget)
    {
        lock (_lock)
        {
            return _refusalsLeft.TryGetValue((@namespace, budget), out var left) ? left : 0;
        }
    }

    /// <summary>The current boot id of a node.</summary>
    public string BootId(string name) =>
        GetNode(name)?["status"]?["nodeInfo"]?["bootID"]?.GetValue<string>() ?? throw new KeyNotFoundException(name);
}
