using NodeOps.Runners.Ansible;
using NodeOps.Runners.Ssh;

namespace NodeOps.Executions.Kinds;

/// <summary>
/// A node's final result from a playbook run, from structured data only: the playbook's recap when the play
/// ended, otherwise what the callback events said about the host before the run stopped.
/// </summary>
public static class AnsibleNodeOutcome
{
    public const string TaskFailedCode = "TASK_FAILED";
    public const string UnreachableCode = "UNREACHABLE";
    public const string AnsibleErrorCode = "ANSIBLE_ERROR";
    public const string NotRunCode = "NOT_RUN";

    /// <param name="node">The node's claimed row.</param>
    /// <param name="host">What the events said about the host (null when none mentioned it).</param>
    /// <param name="result">How the run ended.</param>
    /// <param name="stoppedStatus">The status for a host a stop cut short: cancelled, or interrupted when the instance went away.</param>
    public static NodeResultRecord Decide(NodeResultRecord node, AnsibleHostState? host, AnsibleRunResult result, NodeStatus stoppedStatus)
    {
        ArgumentNullException.ThrowIfNull(node);
        ArgumentNullException.ThrowIfNull(result);
        if (result.LeftOut.TryGetValue(node.Node, out var leftOut))
        {
            return node with { Status = NodeStatus.Failed, ErrorCode = leftOut.ErrorCode, Message = leftOut.Message };
        }

        if (host is { Failed: true })
        {
            return Failure(node, host, result.Unreachable.GetValueOrDefault(node.Node));
        }

        if (result.Recap is { } recap)
        {
            return recap.TryGetValue(node.Node, out var line)
                ? node with { Status = NodeStatus.Success, Message = line.ToString() }
                : node with { Status = NodeStatus.Skipped, ErrorCode = NotRunCode, Message = "Playbook 没有在该节点上运行 (play 的 hosts 未匹配该节点)" };
        }

        var unconfirmed = result.StopUnconfirmed.TryGetValue(node.Node, out var why) ? "；" + why : "";
        return result.Outcome switch
        {
            AnsibleRunOutcome.Stopped => node with { Status = stoppedStatus, Message = Progress(host, stoppedStatus == NodeStatus.Cancelled ? "已取消" : "实例停止，运行被中断") + unconfirmed },
            AnsibleRunOutcome.TimedOut => node with { Status = NodeStatus.Timeout, Message = Progress(host, "执行超时，已终止 ansible-playbook 进程组") + unconfirmed },
            _ => node with { Status = NodeStatus.Failed, ErrorCode = AnsibleErrorCode, Message = result.Error ?? "ansible-playbook 没有给出结果" },
        };
    }

    private static NodeResultRecord Failure(NodeResultRecord node, AnsibleHostState host, AnsibleHostFailure? diagnosis)
    {
        var message = host.Message ?? "";
        if (host.Unreachable && diagnosis is not null)
        {
            // The SSH check after the run tells why better than Ansible's message; a connection failure stays "unreachable".
            return node with
            {
                Status = NodeStatus.Failed,
                ErrorCode = diagnosis.ErrorCode == SshRunResult.ConnectionFailedCode ? UnreachableCode : diagnosis.ErrorCode,
                Message = diagnosis.ErrorCode == SshRunResult.ConnectionFailedCode ? "节点不可达: " + diagnosis.Message : diagnosis.Message,
            };
        }

        if (host.Unreachable)
        {
            var mismatch = message.Contains("Host key verification failed", StringComparison.Ordinal)
                || message.Contains("REMOTE HOST IDENTIFICATION HAS CHANGED", StringComparison.Ordinal);
            return node with
            {
                Status = NodeStatus.Failed,
                ErrorCode = mismatch ? SshRunResult.HostKeyMismatchCode : UnreachableCode,
                Message = mismatch
                    ? "主机密钥与已固定的密钥不一致。如节点确已重装，请管理员清除该节点的主机密钥固定: " + message
                    : "节点不可达: " + message,
            };
        }

        return node with
        {
            Status = NodeStatus.Failed,
            ErrorCode = TaskFailedCode,
            Message = $"TASK [{host.FailedTask}] 失败: {message}",
        };
    }

    private static string Progress(AnsibleHostState? host, string what) =>
        host?.Task is { } task ? $"{what}; 当时在 TASK [{task}] ({host.Recap})" : what;
}
