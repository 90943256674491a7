namespace NodeOps.Tests.TestBed;

/// <summary>One kind of object the fake API server serves, as discovery describes it.</summary>
public sealed record FakeKubeResource(string Group, string Version, string Plural, string Singular, string Kind, bool Namespaced, string[] ShortNames, string[] Verbs)
{
    public string GroupVersion => Group.Length == 0 ? Version : $"{Group}/{Version}";

    public string ApiVersion => GroupVersion;
}

/// <summary>The resource types the fake knows: enough of core, apps, policy and coordination for get, describe, cordon and drain.</summary>
public static class FakeKubeApiServerResources
{
    private static readonly string[] AllVerbs = ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"];
    private static readonly string[] ReadVerbs = ["get", "list", "watch"];

    public static readonly FakeKubeResource Namespaces = new("", "v1", "namespaces", "namespace", "Namespace", false, ["ns"], ["create", "delete", "get", "list", "patch", "update", "watch"]);
    public static readonly FakeKubeResource Nodes = new("", "v1", "nodes", "node", "Node", false, ["no"], AllVerbs);
    public static readonly FakeKubeResource Pods = new("", "v1", "pods", "pod", "Pod", true, ["po"], AllVerbs);
    public static readonly FakeKubeResource Events = new("", "v1", "events", "event", "Event", true, ["ev"], AllVerbs);
    public static readonly FakeKubeResource Services = new("", "v1", "services", "service", "Service", true, ["svc"], AllVerbs);
    public static readonly FakeKubeResource DaemonSets = new("apps", "v1", "daemonsets", "daemonset", "DaemonSet", true, ["ds"], AllVerbs);
    public static readonly FakeKubeResource Deployments = new("apps", "v1", "deployments", "deployment", "Deployment", true, ["deploy"], AllVerbs);
    public static readonly FakeKubeResource ReplicaSets = new("apps", "v1", "replicasets", "replicaset", "ReplicaSet", true, ["rs"], AllVerbs);
    public static readonly FakeKubeResource StatefulSets = new("apps", "v1", "statefulsets", "statefulset", "StatefulSet", true, ["sts"], AllVerbs);
    public static readonly FakeKubeResource PodDisruptionBudgets = new("policy", "v1", "poddisruptionbudgets", "poddisruptionbudget", "PodDisruptionBudget", true, ["pdb"], AllVerbs);
    public static readonly FakeKubeResource Leases = new("coordination.k8s.io", "v1", "leases", "lease", "Lease", true, [], ReadVerbs);

    public static IReadOnlyList<FakeKubeResource> All { get; } =
        [Namespaces, Nodes, Pods, Events, Services, DaemonSets, Deployments, ReplicaSets, StatefulSets, PodDisruptionBudgets, Leases];

    public static FakeKubeResource? Find(string group, string version, string plural) =>
        All.FirstOrDefault(r => r.Group == group && r.Version == version && r.Plural == plural);
}
