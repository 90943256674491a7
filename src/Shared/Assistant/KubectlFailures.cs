using System.Text.RegularExpressions;
using NodeOps.Errors;

namespace NodeOps.Assistant;

/// <summary>
/// Names the kubectl failures the model cannot fix by retrying: RBAC refusals (KUBERNETES_FORBIDDEN) and an
/// unreachable or rejecting API server (KUBECTL_ERROR). The agent hands them to the model as the tool's result with
/// a suggestion, so it can explain them. Anything else (a typo, a missing object) goes back as plain output.
/// </summary>
public static partial class KubectlFailures
{
    private static readonly string[] ClusterUnusable =
    [
        "Unable to connect to the server",
        "connection refused",
        "no such host",
        "i/o timeout",
        "You must be logged in to the server",
        "the server has asked for the client to provide credentials",
        "x509:",
        "tls: ",
    ];

    public static NodeOpsException? Check(PlannedToolCall call, ToolRunResult result)
    {
        ArgumentNullException.ThrowIfNull(call);
        ArgumentNullException.ThrowIfNull(result);
        if (result.Succeeded || call.Tool != "kubectl")
        {
            return null;
        }

        var stderr = result.Stderr.Length > 4000 ? result.Stderr[..4000] : result.Stderr;
        var forbidden = ForbiddenRegex().Match(stderr);
        if (forbidden.Success)
        {
            return new NodeOpsException(ErrorKind.Forbidden, "Kubernetes权限不足", code: "KUBERNETES_FORBIDDEN")
            {
                Title = "Kubernetes权限不足",
                Context = new Dictionary<string, object?>
                {
                    ["resource"] = forbidden.Groups["resource"].Value,
                    ["namespace"] = forbidden.Groups["ns"].Success ? forbidden.Groups["ns"].Value : null,
                    ["verb"] = forbidden.Groups["verb"].Success ? forbidden.Groups["verb"].Value : null,
                    ["command"] = call.Command,
                    ["exit_code"] = result.ExitCode,
                    ["stderr"] = stderr.Trim(),
                    ["suggestion"] = "请联系集群管理员为 NodeOps 使用的凭据授予相应权限",
                },
            };
        }

        if (ClusterUnusable.Any(marker => stderr.Contains(marker, StringComparison.Ordinal)))
        {
            return new NodeOpsException(ErrorKind.Unavailable, "查询处理失败: kubectl命令执行错误", code: "KUBECTL_ERROR")
            {
                Title = "查询处理失败: kubectl命令执行错误",
                Context = new Dictionary<string, object?>
                {
                    ["command"] = call.Command,
                    ["exit_code"] = result.ExitCode,
                    ["stderr"] = stderr.Trim(),
                    ["suggestion"] = "检查集群的 API Server 地址是否可达，以及 kubeconfig 中的凭据是否有效",
                },
            };
        }

        return null;
    }

    // "Error from server (Forbidden): pods is forbidden: User "x" cannot list resource "pods" in API group "" in the namespace "kube-system""
    [GeneratedRegex("Error from server \\(Forbidden\\):\\s*(?<resource>[\\w.-]+)(?:\\s+\"[^\"]*\")? is forbidden(?:: User \"[^\"]*\" cannot (?<verb>\\w+))?(?:.*?in the namespace \"(?<ns>[^\"]+)\")?")]
    private static partial Regex ForbiddenRegex();
}
