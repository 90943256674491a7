using NodeOps.Safety;

namespace NodeOps.Assistant;

/// <summary>What the policy decided about one kubectl command line.</summary>
public sealed record KubectlVerdict(string Verb, CommandSafety Safety, string? Refusal);

/// <summary>
/// Refuses kubectl forms the agent must not run: interactive or endless ones (exec -it, attach, edit, port-forward,
/// proxy, logs -f, get -w), ones that read or write local files, and flags that would swap the credentials or the
/// target cluster NodeOps chose. Whether the rest reads or writes is decided by the shared
/// <see cref="CommandClassifier"/> (unknown verbs and plugins are writes).
/// </summary>
public static class KubectlCommandPolicy
{
    private static readonly Dictionary<string, string> Refused = new(StringComparer.Ordinal)
    {
        ["edit"] = "kubectl edit 需要交互式编辑器，不能在这里运行；请用 kubectl patch 或 kubectl apply 提出具体修改",
        ["attach"] = "kubectl attach 是交互式的，不能在这里运行",
        ["port-forward"] = "kubectl port-forward 会一直运行，不能在这里运行",
        ["proxy"] = "kubectl proxy 会一直运行，不能在这里运行",
        ["cp"] = "kubectl cp 读写 NodeOps 主机上的本地文件，不能在这里运行",
        ["config"] = "kubectl config 会读取或修改凭据，不能在这里运行；集群由 NodeOps 选择",
        ["kustomize"] = "kubectl kustomize 读取本地文件，不能在这里运行",
        ["plugin"] = "kubectl plugin 不能在这里运行",
        ["completion"] = "kubectl completion 与集群无关",
        ["alpha"] = "kubectl alpha 命令不能在这里运行",
    };

    private static readonly HashSet<string> CredentialFlags = new(StringComparer.Ordinal)
    {
        "--kubeconfig", "--context", "--cluster", "--user", "--token", "--server", "-s", "--as", "--as-group", "--as-uid",
        "--certificate-authority", "--client-certificate", "--client-key", "--insecure-skip-tls-verify", "--username",
        "--password", "--cache-dir", "--tls-server-name", "--raw",
    };

    /// <summary>Flags whose value is the next word (when not written as --flag=value).</summary>
    private static readonly HashSet<string> ValueFlags = new(StringComparer.Ordinal)
    {
        "-n", "--namespace", "-o", "--output", "-l", "--selector", "--field-selector", "-c", "--container", "--request-timeout",
        "-v", "--v", "--since", "--tail", "--sort-by", "--template", "-p", "--patch", "--type", "--timeout", "--for", "--replicas",
        "--image", "--grace-period", "--chunk-size", "-L", "--label-columns", "--since-time", "--limit-bytes", "--max-log-requests",
    };

    public static KubectlVerdict Evaluate(IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var positional = new List<string>();
        var flags = new List<(string Name, string? Value)>();
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (arg == "--")
            {
                positional.AddRange(args.Skip(i + 1));
                break;
            }

            if (arg.StartsWith('-') && arg.Length > 1)
            {
                var eq = arg.IndexOf('=', StringComparison.Ordinal);
                var name = eq > 0 ? arg[..eq] : arg;
                string? value = eq > 0 ? arg[(eq + 1)..] : null;
                if (value is null && ValueFlags.Contains(name) && i + 1 < args.Count)
                {
                    value = args[++i];
                }

                flags.Add((name, value));
                continue;
            }

            positional.Add(arg);
        }

        if (positional.Count == 0)
        {
            return new KubectlVerdict("", CommandSafety.Write, "缺少 kubectl 子命令（例如 get、describe、logs）");
        }

        var verb = positional[0];
        if (flags.FirstOrDefault(f => CredentialFlags.Contains(f.Name)) is { Name: { } credential })
        {
            return new KubectlVerdict(verb, CommandSafety.Write, $"参数 {credential} 会改变凭据或目标集群，不能使用；集群和命名空间由会话上下文决定");
        }

        if (Refused.TryGetValue(verb, out var refusal))
        {
            return new KubectlVerdict(verb, CommandSafety.Write, refusal);
        }

        bool Has(params string[] names) => flags.Any(f => names.Contains(f.Name) && f.Value is not "false");

        if (verb != "logs" && Has("-f", "--filename", "-k", "--kustomize", "-R", "--recursive"))
        {
            return new KubectlVerdict(verb, CommandSafety.Write, "从本地文件读取清单（-f/-k）不能在这里使用；请用具体的资源名称");
        }

        if (verb == "logs" && Has("-f", "--follow"))
        {
            return new KubectlVerdict(verb, CommandSafety.Read, "kubectl logs -f 会一直运行；请去掉 -f，并用 --tail 或 --since 限定范围");
        }

        if (verb is "get" or "events" && Has("-w", "--watch", "--watch-only"))
        {
            return new KubectlVerdict(verb, CommandSafety.Read, $"kubectl {verb} --watch 会一直运行；请去掉 -w/--watch");
        }

        if (verb is "exec" or "run" or "debug" && (Has("-i", "--stdin", "-t", "--tty", "-it", "-ti") || flags.Any(f => f.Name is "-it" or "-ti")))
        {
            return new KubectlVerdict(verb, CommandSafety.Write, $"kubectl {verb} -i/-t 是交互式的，不能在这里运行");
        }

        if (verb == "cluster-info" && Has("--output-directory"))
        {
            return new KubectlVerdict(verb, CommandSafety.Write, "cluster-info dump --output-directory 会写本地文件，不能在这里使用");
        }

        // Read or write is the shared classifier's call (one place for it); this policy only adds what kubectl must not run here.
        var classification = CommandClassifier.Classify("kubectl " + ShellWords.Join(args));
        return new KubectlVerdict(verb, classification.IsReadOnly ? CommandSafety.Read : CommandSafety.Write, null);
    }
}
