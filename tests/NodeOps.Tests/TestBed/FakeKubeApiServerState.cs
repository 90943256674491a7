using System.Globalization;
using System.Text.Json.Nodes;

namespace NodeOps.Tests.TestBed;

/// <summary>
/// The objects of the fake cluster, as the JSON the real API server would return. Tests seed it through the
/// Add* methods and read it back to assert what kubectl changed. Thread-safe; every write bumps resourceVersion.
/// </summary>
public sealed partial class FakeKubeApiServerState
{
    private readonly Lock _lock = new();
    private readonly Dictionary<(FakeKubeResource Resource, string Namespace, string Name), JsonObject> _objects = [];
    private readonly List<string> _evictions = [];
    private readonly TimeProvider _time;
    private long _resourceVersion = 1000;

    public FakeKubeApiServerState(TimeProvider? time = null)
    {
        _time = time ?? TimeProvider.System;
    }

    /// <summary>"namespace/name" of every pod evicted through the eviction subresource, in order.</summary>
    public IReadOnlyList<string> Evictions
    {
        get
        {
            lock (_lock)
            {
                return [.. _evictions];
            }
        }
    }

    public string CurrentResourceVersion
    {
        get
        {
            lock (_lock)
            {
                return _resourceVersion.ToString(CultureInfo.InvariantCulture);
            }
        }
    }

    public DateTimeOffset Now => _time.GetUtcNow();

    public JsonObject AddNamespace(string name) =>
        Create(FakeKubeApiServerResources.Namespaces, new JsonObject
        {
            ["metadata"] = new JsonObject { ["name"] = name, ["labels"] = new JsonObject { ["kubernetes.io/metadata.name"] = name } },
            ["spec"] = new JsonObject { ["finalizers"] = new JsonArray("kubernetes") },
            ["status"] = new JsonObject { ["phase"] = "Active" },
        });

    public JsonObject AddNode(
        string name,
        bool ready = true,
        bool unschedulable = false,
        IReadOnlyDictionary<string, string>? labels = null,
        string internalIp = "10.0.0.10",
        string kubeletVersion = "v1.32.4")
    {
        var nodeLabels = new JsonObject
        {
            ["kubernetes.io/hostname"] = name,
            ["kubernetes.io/os"] = "linux",
            ["kubernetes.io/arch"] = "amd64",
        };
        foreach (var (key, value) in labels ?? new Dictionary<string, string>())
        {
            nodeLabels[key] = value;
        }

        var now = Stamp(Now);
        var spec = new JsonObject { ["podCIDR"] = "10.244.0.0/24" };
        if (unschedulable)
        {
            spec["unschedulable"] = true;
        }

        return Create(FakeKubeApiServerResources.Nodes, new JsonObject
        {
            ["metadata"] = new JsonObject { ["name"] = name, ["labels"] = nodeLabels },
            ["spec"] = spec,
            ["status"] = new JsonObject
            {
                ["capacity"] = new JsonObject { ["cpu"] = "4", ["memory"] = "8029032Ki", ["pods"] = "110", ["ephemeral-storage"] = "41152812Ki" },
                ["allocatable"] = new JsonObject { ["cpu"] = "4", ["memory"] = "7926632Ki", ["pods"] = "110", ["ephemeral-storage"] = "37926431593" },
                ["conditions"] = new JsonArray(
                    Condition("MemoryPressure", "False", "KubeletHasSufficientMemory", "kubelet has sufficient memory available", now),
                    Condition("DiskPressure", "False", "KubeletHasNoDiskPressure", "kubelet has no disk pressure", now),
                    Condition("PIDPressure", "False", "KubeletHasSufficientPID", "kubelet has sufficient PID available", now),
                    ready
                        ? Condition("Ready", "True", "KubeletReady", "kubelet is posting ready status", now)
                        : Condition("Ready", "Unknown", "NodeStatusUnknown", "Kubelet stopped posting node status.", now)),
                ["addresses"] = new JsonArray(
                    new JsonObject { ["type"] = "InternalIP", ["address"] = internalIp },
                    new JsonObject { ["type"] = "Hostname", ["address"] = name }),
                ["nodeInfo"] = new JsonObject
                {
                    ["machineID"] = Guid.NewGuid().ToString("N"),
                    ["systemUUID"] = Guid.NewGuid().ToString(),
                    ["bootID"] = Guid.NewGuid().ToString(),
                    ["kernelVersion"] = "6.1.0-18-amd64",
                    ["osImage"] = "Debian GNU/Linux 12 (bookworm)",
                    ["containerRuntimeVersion"] = "containerd://1.7.13",
                    ["kubeletVersion"] = kubeletVersion,
                    ["kubeProxyVersion"] = kubeletVersion,
                    ["operatingSystem"] = "linux",
                    ["architecture"] = "amd64",
                },
            },
        });
    }

    /// <param name="owner">The controlling owner, e.g. ("DaemonSet", "fluentd") or ("ReplicaSet", "web-5d8f").</param>
    public JsonObject AddPod(
        string @namespace,
        string name,
        string? nodeName,
        string phase = "Running",
        IReadOnlyDictionary<string, string>? labels = null,
        (string Kind, string Name)? owner = null,
        string image = "nginx:1.27",
        int restarts = 0,
        bool mirror = false,
        bool emptyDir = false,
        DateTimeOffset? deletingSince = null)
    {
        var metadata = new JsonObject { ["name"] = name, ["namespace"] = @namespace, ["labels"] = ToJson(labels) };
        if (mirror)
        {
            // What the kubelet puts on the API copy of a static pod.
            metadata["annotations"] = new JsonObject { ["kubernetes.io/config.mirror"] = Guid.NewGuid().ToString("N"), ["kubernetes.io/config.source"] = "file" };
        }

        if (deletingSince is { } since)
        {
            metadata["deletionTimestamp"] = Stamp(since);
            metadata["deletionGracePeriodSeconds"] = 30;
        }

        if (owner is { } o)
        {
            var apiVersion = o.Kind is "DaemonSet" or "ReplicaSet" or "StatefulSet" or "Deployment" ? "apps/v1" : "v1";
            metadata["ownerReferences"] = new JsonArray(new JsonObject
            {
                ["apiVersion"] = apiVersion,
                ["kind"] = o.Kind,
                ["name"] = o.Name,
                ["uid"] = Guid.NewGuid().ToString(),
                ["controller"] = true,
                ["blockOwnerDeletion"] = true,
            });
        }

        var running = phase == "Running";
        var now = Stamp(Now);
        var spec = new JsonObject
        {
            ["containers"] = new JsonArray(new JsonObject
            {
                ["name"] = "main",
                ["image"] = image,
                ["resources"] = new JsonObject { ["requests"] = new JsonObject { ["cpu"] = "100m", ["memory"] = "64Mi" } },
            }),
            ["restartPolicy"] = "Always",
            ["terminationGracePeriodSeconds"] = 30,
        };
        if (emptyDir)
        {
            spec["volumes"] = new JsonArray(new JsonObject { ["name"] = "scratch", ["emptyDir"] = new JsonObject() });
            ((JsonObject)((JsonArray)spec["containers"]!)[0]!)["volumeMounts"] = new JsonArray(new JsonObject { ["name"] = "scratch", ["mountPath"] = "/scratch" });
        }
        if (nodeName is not null)
        {
            spec["nodeName"] = nodeName;
        }

        return Create(FakeKubeApiServerResources.Pods, new JsonObject
        {
            ["metadata"] = metadata,
            ["spec"] = spec,
            ["status"] = new JsonObject
            {
                ["phase"] = phase,
                ["podIP"] = "10.244.0." + ((Math.Abs(name.GetHashCode(StringComparison.Ordinal)) % 250) + 2).ToString(CultureInfo.InvariantCulture),
                ["startTime"] = now,
                ["conditions"] = new JsonArray(new JsonObject { ["type"] = "Ready", ["status"] = running ? "True" : "False", ["lastTransitionTime"] = now }),
                ["containerStatuses"] = new JsonArray(new JsonObject
                {
                    ["name"] = "main",
                    ["image"] = image,
                    ["imageID"] = "",
                    ["ready"] = running,
                    ["started"] = running,
                    ["restartCount"] = restarts,
                    ["state"] = running
                        ? new JsonObject { ["running"] = new JsonObject { ["startedAt"] = now } }
                        : new JsonObject { ["waiting"] = new JsonObject { ["reason"] = phase == "Pending" ? "ContainerCreating" : "Completed" } },
                }),
            },
        });
    }

    public JsonObject AddEvent(string @namespace, string involvedKind, string involvedName, string reason, string message, string type = "Normal")
    {
        var now = Stamp(Now);
        var involvedUid = involvedKind == "Node" ? involvedName : Get(FakeKubeApiServerResources.Pods, @namespace, involvedName)?["metadata"]?["uid"]?.GetValue<string>() ?? "";
        return Create(FakeKubeApiServerResources.Events, new JsonObject
        {
            ["metadata"] = new JsonObject { ["name"] = $"{involvedName}.{Guid.NewGuid():N}"[..Math.Min(involvedName.Length + 17, 63)], ["namespace"] = @namespace },
            ["involvedObject"] = new JsonObject
            {
                ["kind"] = involvedKind,
                ["name"] = involvedName,
                ["namespace"] = involvedKind == "Node" ? "" : @namespace,
                ["uid"] = involvedUid,
                ["apiVersion"] = "v1",
            },
            ["reason"] = reason,
            ["message"] = message,
            ["source"] = new JsonObject { ["component"] = involvedKind == "Node" ? "kubelet" : "default-scheduler" },
            ["firstTimestamp"] = now,
            ["lastTimestamp"] = now,
            ["count"] = 1,
            ["type"] = type,
        });
    }

    /// <summary>A policy/v1 PodDisruptionBudget selecting pods by labels; give minAvailable or maxUnavailable.</summary>
    /// <param name="refuseTimes">When set, the budget refuses that many evictions (429) and then allows every one, whatever its numbers say.</param>
    public JsonObject AddPodDisruptionBudget(
        string @namespace, string name, IReadOnlyDictionary<string, string> matchLabels, int? minAvailable = null, int? maxUnavailable = null, int? refuseTimes = null)
    {
        if (refuseTimes is { } times)
        {
            lock (_lock)
            {
                _refusalsLeft[(@namespace, name)] = times;
            }
        }

        var spec = new JsonObject { ["selector"] = new JsonObject { ["matchLabels"] = ToJson(matchLabels) } };
        if (minAvailable is { } min)
        {
            spec["minAvailable"] = min;
        }

        if (maxUnavailable is { } max)
        {
            spec["maxUnavailable"] = max;
        }

        return Create(FakeKubeApiServerResources.PodDisruptionBudgets, new JsonObject
        {
            ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = @namespace },
            ["spec"] = spec,
            ["status"] = new JsonObject(),
        });
    }

    public JsonObject AddDaemonSet(string @namespace, string name) =>
        Create(FakeKubeApiServerResources.DaemonSets, new JsonObject
        {
            ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = @namespace },
            ["spec"] = new JsonObject { ["selector"] = new JsonObject { ["matchLabels"] = new JsonObject { ["app"] = name } } },
            ["status"] = new JsonObject(),
        });

    public JsonObject? GetNode(string name) => Get(FakeKubeApiServerResources.Nodes, "", name);

    public JsonObject? GetPod(string @namespace, string name) => Get(FakeKubeApiServerResources.Pods, @namespace, name);

    /// <summary>A deep copy of one object, or null.</summary>
    public JsonObject? Get(FakeKubeResource resource, string @namespace, string name)
    {
        lock (_lock)
        {
            return _objects.TryGetValue((resource, resource.Namespaced ? @namespace : "", name), out var found) ? (JsonObject)found.DeepClone() : null;
        }
    }

    /// <summary>Deep copies of every object of the type, in one namespace or (null) all, ordered by namespace and name.</summary>
    public IReadOnlyList<JsonObject> List(FakeKubeResource resource, string? @namespace = null)
    {
        lock (_lock)
        {
            return _objects
                .Where(kv => kv.Key.Resource == resource && (@namespace is null || kv.Key.Namespace == @namespace))
                .OrderBy(kv => kv.Key.Namespace, StringComparer.Ordinal)
                .ThenBy(kv => kv.Key.Name, StringComparer.Ordinal)
                .Select(kv => (JsonObject)kv.Value.DeepClone())
                .ToList();
        }
    }

    /// <summary>Stores a new object, filling uid, resourceVersion, creationTimestamp, kind and apiVersion. Throws when the name is taken.</summary>
    public JsonObject Create(FakeKubeResource resource, JsonObject obj)
    {
        ArgumentNullException.ThrowIfNull(resource);
        ArgumentNullException.ThrowIfNull(obj);
        var metadata = obj["metadata"] as JsonObject ?? throw new ArgumentException("The object has no metadata.", nameof(obj));
        var name = metadata["name"]?.GetValue<string>() ?? throw new ArgumentException("The object has no metadata.name.", nameof(obj));
        var ns = resource.Namespaced ? metadata["namespace"]?.GetValue<string>() ?? "default" : "";
        lock (_lock)
        {
            var key = (resource, ns, name);
            if (_objects.ContainsKey(key))
            {
                throw new InvalidOperationException($"{resource.Plural} \"{name}\" already exists");
            }

            obj["kind"] = resource.Kind;
            obj["apiVersion"] = resource.ApiVersion;
            if (resource.Namespaced)
            {
                metadata["namespace"] = ns;
            }

            metadata["uid"] ??= resource == FakeKubeApiServerResources.Nodes ? name : Guid.NewGuid().ToString();
            metadata["creationTimestamp"] ??= Stamp(Now);
            metadata["resourceVersion"] = NextVersion();
            _objects[key] = obj;
            if (resource.Namespaced && !_objects.ContainsKey((FakeKubeApiServerResources.Namespaces, "", ns)))
            {
                // Like a real cluster, every object lives in a namespace that exists.
                _objects[(FakeKubeApiServerResources.Namespaces, "", ns)] = new JsonObject
                {
                    ["kind"] = "Namespace",
                    ["apiVersion"] = "v1",
                    ["metadata"] = new JsonObject { ["name"] = ns, ["uid"] = Guid.NewGuid().ToString(), ["creationTimestamp"] = Stamp(Now), ["resourceVersion"] = NextVersion() },
                    ["status"] = new JsonObject { ["phase"] = "Active" },
                };
            }

            return (JsonObject)obj.DeepClone();
        }
    }

    /// <summary>Applies a JSON merge patch (RFC 7386) to a stored object; returns the result or null when it does not exist.</summary>
    public JsonObject? Patch(FakeKubeResource resource, string @namespace, string name, JsonObject patch)
    {
        lock (_lock)
        {
            if (!_objects.TryGetValue((resource, resource.Namespaced ? @namespace : "", name), out var current))
            {
                return null;
            }

            Merge(current, patch);
            ((JsonObject)current["metadata"]!)["resourceVersion"] = NextVersion();
            return (JsonObject)current.DeepClone();
        }
    }

    public bool Delete(FakeKubeResource resource, string @namespace, string name)
    {
        lock (_lock)
        {
            return _objects.Remove((resource, resource.Namespaced ? @namespace : "", name));
        }
    }

    /// <summary>
    /// Evicts a pod the way the eviction subresource does: refused (false, with the budget's name) when a matching
    /// PodDisruptionBudget allows no more disruptions; otherwise the pod is deleted at once.
    /// </summary>
    public (bool Evicted, string? BlockingBudget) Evict(string @namespace, string name)
    {
        lock (_lock)
        {
            if (!_objects.TryGetValue((FakeKubeApiServerResources.Pods, @namespace, name), out var pod))
            {
                throw new KeyNotFoundException(name);
            }

            var podLabels = pod["metadata"]?["labels"] as JsonObject;
            foreach (var ((resource, ns, budgetName), budget) in _objects.ToList())
            {
                if (resource != FakeKubeApiServerResources.PodDisruptionBudgets || ns != @namespace || !Selects(budget, podLabels))
                {
                    continue;
                }

                if (_refusalsLeft.TryGetValue((ns, budgetName), out var left))
                {
                    if (left > 0)
                    {
                        _refusalsLeft[(ns, budgetName)] = left - 1;
                        return (false, budgetName);
                    }

                    continue;
                }

                var selected = _objects
                    .Where(kv => kv.Key.Resource == FakeKubeApiServerResources.Pods && kv.Key.Namespace == ns && Selects(budget, kv.Value["metadata"]?["labels"] as JsonObject))
                    .Select(kv => kv.Value)
                    .ToList();
                var healthy = selected.Count(p => p["status"]?["phase"]?.GetValue<string>() == "Running");
                var spec = budget["spec"]!;
                var allowed = spec["minAvailable"] is { } min
                    ? healthy - min.GetValue<int>()
                    : spec["maxUnavailable"] is { } max
                        ? max.GetValue<int>() - (selected.Count - healthy)
                        : int.MaxValue;
                if (allowed <= 0)
                {
                    return (false, budgetName);
                }
            }

            _evictions.Add($"{@namespace}/{name}");
            Terminate(@namespace, name, pod);
            return (true, null);
        }
    }

    public static string Stamp(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static bool Selects(JsonObject budget, JsonObject? podLabels)
    {
        if (budget["spec"]?["selector"]?["matchLabels"] is not JsonObject match || match.Count == 0)
        {
            return false;
        }

        return match.All(kv => podLabels?[kv.Key]?.GetValue<string>() == kv.Value?.GetValue<string>());
    }

    private static void Merge(JsonObject target, JsonObject patch)
    {
        foreach (var (key, value) in patch.ToList())
        {
            if (key.StartsWith('$'))
            {
                // Strategic-merge directives ($setElementOrder, $retainKeys) only order lists; nothing to do here.
                continue;
            }

            if (value is null)
            {
                target.Remove(key);
            }
            else if (value is JsonObject patchChild && target[key] is JsonObject targetChild)
            {
                Merge(targetChild, patchChild);
            }
            else
            {
                target[key] = value.DeepClone();
            }
        }
    }

    private string NextVersion() => (++_resourceVersion).ToString(CultureInfo.InvariantCulture);

    private static JsonObject Condition(string type, string status, string reason, string message, string at) => new()
    {
        ["type"] = type,
        ["status"] = status,
        ["reason"] = reason,
        ["message"] = message,
        ["lastHeartbeatTime"] = at,
        ["lastTransitionTime"] = at,
    };

    private static JsonObject ToJson(IReadOnlyDictionary<string, string>? labels)
    {
        var json = new JsonObject();
        foreach (var (key, value) in labels ?? new Dictionary<string, string>())
        {
            json[key] = value;
        }

        return json;
    }
}
