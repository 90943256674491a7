namespace NodeOps.Kubernetes;

/// <summary>A pod as the drain filters see it: who controls it, whether it is a mirror pod, whether it keeps emptyDir data.</summary>
public sealed record KubernetesPod(
    string Namespace,
    string Name,
    string Uid,
    string? NodeName,
    string? Phase,
    DateTimeOffset? DeletionTimestamp,
    string? ControllerKind,
    string? ControllerName,
    bool IsMirror,
    bool HasEmptyDir,
    IReadOnlyDictionary<string, string> Labels)
{
    /// <summary>Succeeded or Failed: nothing is lost by deleting it, so the local-storage and unmanaged checks let it go.</summary>
    public bool Finished => Phase is "Succeeded" or "Failed";

    public override string ToString() => $"{Namespace}/{Name}";
}
