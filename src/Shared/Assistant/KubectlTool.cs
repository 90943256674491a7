using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using NodeOps.Clusters;
using NodeOps.Processes;

namespace NodeOps.Assistant;

/// <summary>
/// Runs the real kubectl, without a shell, against the kubeconfig of the context's cluster (from the cluster
/// registry, written to a private temporary file) and in the context's namespace, inside the sandbox (ToolSandbox),
/// where that file is all it sees of the server. Timeout and output cap apply.
/// </summary>
internal sealed class KubectlTool(IOptions<AssistantOptions> options, IServiceProvider services, ToolSandbox sandbox, TimeProvider time) : IAssistantTool
{
    private const string Schema = """
        {
          "type": "object",
          "properties": {
            "command": {
              "type": "string",
              "description": "A kubectl command line, e.g. \"kubectl get pods -n kube-system -o wide\". No pipes, redirections or shell syntax; use -o jsonpath, -l or --field-selector to filter."
            }
          },
          "required": ["command"]
        }
        """;

    private static readonly Lazy<string> CacheFolder = new(() =>
    {
        var folder = Path.Combine(Path.GetTempPath(), $"nodeops-kubectl-cache-{Environment.ProcessId}");
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(folder);
        }
        else
        {
            Directory.CreateDirectory(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        return folder;
    });

    private readonly AssistantToolOptions _options = options.Value.Tools;

    public string Name => "kubectl";

    public LlmToolDefinition Definition { get; } = new("kubectl",
        "Run one kubectl command against the user's Kubernetes cluster and return its output. Read commands (get, describe, logs, top, events) run at once; commands that change the cluster need the user's approval or are refused in read-only mode.",
        Schema);

    public PlannedToolCall Plan(string argumentsJson, ToolContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var (words, text, problem) = ToolArguments.Read(argumentsJson);
        if (problem is not null)
        {
            return new PlannedToolCall(Name, [], "kubectl", CommandSafety.Write, problem);
        }

        var display = text ?? "kubectl " + ShellWords.Join(words!);
        if (text is not null)
        {
            var split = ShellWords.Split(text);
            if (split.Unterminated)
            {
                return new PlannedToolCall(Name, [], display, CommandSafety.Write, "命令中的引号没有闭合");
            }

            if (split.Operator is { } op)
            {
                return new PlannedToolCall(Name, [], display, CommandSafety.Write,
                    $"kubectl 直接运行、不经过 shell，不支持 '{op}'（管道、重定向、命令替换）；请用 -o jsonpath、-l 或 --field-selector 过滤");
            }

            words = split.Words;
        }

        var args = words!.ToList();
        if (args.Count > 0 && (args[0] == "kubectl" || args[0].EndsWith("/kubectl", StringComparison.Ordinal)))
        {
            args.RemoveAt(0);
        }
        else if (args.Count > 0 && !args[0].StartsWith('-') && KnownOtherProgram(args[0]))
        {
            return new PlannedToolCall(Name, [], display, CommandSafety.Write, $"kubectl 工具只运行 kubectl 命令，不能运行 {args[0]}");
        }

        if (context.Namespace is { Length: > 0 } ns && !args.Any(a => a is "-n" or "--namespace" or "-A" or "--all-namespaces" || a.StartsWith("--namespace=", StringComparison.Ordinal) || a.StartsWith("-n=", StringComparison.Ordinal)))
        {
            args.Add("--namespace");
            args.Add(ns);
        }

        var verdict = KubectlCommandPolicy.Evaluate(args);
        return new PlannedToolCall(Name, args, "kubectl " + ShellWords.Join(args), verdict.Safety, verdict.Refusal);
    }

    public async Task<ToolRunResult> ExecuteAsync(PlannedToolCall call, ToolContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(call);
        ArgumentNullException.ThrowIfNull(context);
        if (!File.Exists(_options.KubectlPath))
        {
            throw new ToolUnavailableException($"kubectl 不存在：{_options.KubectlPath}") { Suggestion = "安装 kubectl，或设置 Assistant:Tools:KubectlPath" };
        }

        var source = services.GetService<IKubeconfigSource>()
            ?? throw new ToolUnavailableException("集群注册表不可用，无法取得 kubeconfig") { Suggestion = "先注册集群并上传其 kubeconfig" };
        var kubeconfig = await source.GetKubeconfigAsync(context.Cluster, cancellationToken).ConfigureAwait(false)
            ?? throw new ToolUnavailableException(context.Cluster is null ? "没有默认集群，或默认集群没有 kubeconfig" : $"集群 '{context.Cluster}' 不存在或没有 kubeconfig")
            {
                Suggestion = context.Cluster is null ? "注册一个集群并设为默认，或在 context.cluster 中指定集群" : "检查 context.cluster 的名称，或为该集群上传 kubeconfig",
            };

        using var file = KubeconfigFile.Write(kubeconfig);
        var start = new BoundedProcessStart(_options.KubectlPath, ["--kubeconfig", file.Path, .. call.Argv], _options.KubectlTimeout)
        {
            WorkingDirectory = file.Folder,
            InheritEnvironment = false,
            Environment = new Dictionary<string, string?>
            {
                ["HOME"] = file.Folder,
                ["PATH"] = BoundedProcess.SystemPath,
                ["LANG"] = "C.UTF-8",
                // In the sandbox the discovery cache lives with the run; a shared one would be a channel between runs.
                ["KUBECACHEDIR"] = sandbox.Enabled ? Path.Combine(file.Folder, "cache") : CacheFolder.Value,
            },
            OutputLimitBytes = _options.OutputLimitBytes,
        };
        start = await sandbox.ConfineAsync(start, file.Folder, cancellationToken).ConfigureAwait(false);
        return await ToolProcess.RunAsync(start, time, cancellationToken).ConfigureAwait(false);
    }

    private static bool KnownOtherProgram(string word) =>
        word is "bash" or "sh" or "sudo" or "helm" or "curl" or "ssh" or "rm" or "cat" or "echo" or "xargs" or "grep" or "awk" or "sed" || word.Contains('/', StringComparison.Ordinal);
}
