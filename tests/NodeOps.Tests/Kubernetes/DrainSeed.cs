using NodeOps.Tests.TestBed;

namespace NodeOps.Tests.Kubernetes;

/// <summary>
/// One node, "node-a", with a pod of every kind a drain must tell apart: ReplicaSet pods (one of them behind a
/// PodDisruptionBudget), a DaemonSet pod, a mirror pod, an emptyDir pod, an unmanaged pod and a finished one.
/// </summary>
public static class DrainSeed
{
    public static readonly Dictionary<string, string> Web = new() { ["app"] = "web" };

    public static void Seed(FakeKubeApiServerState state)
    {
        state.AddNamespace("default");
        state.AddNamespace("kube-system");
        state.AddNode("node-a", internalIp: "10.0.0.21");
        state.AddNode("node-b", internalIp: "10.0.0.22");
        state.AddDaemonSet("kube-system", "fluentd");
        state.AddPod("default", "web-1", "node-a", labels: Web, owner: ("ReplicaSet", "web-5d8f"));
        state.AddPod("default", "web-2", "node-b", labels: Web, owner: ("ReplicaSet", "web-5d8f"));
        state.AddPod("default", "api-1", "node-a", owner: ("ReplicaSet", "api-77c9"));
        state.AddPod("kube-system", "fluentd-a", "node-a", labels: new Dictionary<string, string> { ["app"] = "fluentd" }, owner: ("DaemonSet", "fluentd"));
        state.AddPod("kube-system", "kube-proxy-node-a", "node-a", owner: ("Node", "node-a"), mirror: true);
        state.AddPod("default", "cache-1", "node-a", owner: ("ReplicaSet", "cache-6b1"), emptyDir: true);
        state.AddPod("default", "bare", "node-a");
        state.AddPod("default", "done-job", "node-a", phase: "Succeeded");
    }

    /// <summary>What a drain with force and delete_emptydir_data evicts from node-a (kubectl drain evicts the same).</summary>
    public static readonly string[] EvictedWithForce = ["default/api-1", "default/bare", "default/cache-1", "default/done-job", "default/web-1"];
}
