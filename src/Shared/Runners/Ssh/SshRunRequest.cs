namespace NodeOps.Runners.Ssh;

/// <summary>
/// One run on one node. <paramref name="OnRemoteStarted"/> receives the remote process group as soon as the node
/// reports it, so the caller can record it.
/// </summary>
public sealed record SshRunRequest(SshTarget Target, RemoteInvocation Invocation, TimeSpan Timeout, int OutputLimitBytes, Action<int>? OnRemoteStarted = null);
