using System.Text.Json.Nodes;
using NodeOps.Auth;
using NodeOps.Clusters;

namespace NodeOps.Executions;

/// <summary>
/// A validated request to run something: the kind, the resolved nodes, and the kind's payload (serialized into the
/// execution, so a resumed run uses exactly what was asked). <paramref name="Summary"/> holds the fields the kind's
/// views show (command, script_name, ...). A schedule's fire passes its own <paramref name="TaskId"/> (derived from the
/// schedule and the due time, so a second starter is refused) and <paramref name="ScheduleId"/>.
/// </summary>
public sealed record ExecutionSubmission(
    string Kind,
    string ClusterName,
    IReadOnlyList<ResolvedNode> Nodes,
    long CredentialId,
    int Timeout,
    int MaxConcurrent,
    object Payload,
    JsonObject Summary,
    Actor Actor,
    string? TaskId = null,
    long? ScheduleId = null);
