using NodeOps.Errors;

namespace NodeOps.Sandbox;

/// <summary>The sandbox cannot be set up here, so the work that needs it is refused (503 SANDBOX_UNAVAILABLE), never run without it.</summary>
public sealed class SandboxUnavailableException(string cause)
    : NodeOpsException(ErrorKind.Unavailable, $"沙箱不可用，已拒绝执行：{cause}", code: "SANDBOX_UNAVAILABLE")
{
    public string Cause { get; } = cause;
}
