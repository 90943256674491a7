using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using NodeOps.Clusters;
using NodeOps.Processes;

namespace NodeOps.Assistant;

/// <summary>
/// A shell, off unless Assistant:Tools:BashEnabled is set. Whatever it runs cannot be classified with certainty,
/// so every call is a write: refused in read-only mode, and paused for approval otherwise. It runs in the sandbox
/// (ToolSandbox) with the session cluster's kubeconfig and nothing else of the server's.
/// </summary>
internal sealed class BashTool(IOptions<AssistantOptions> options, IServiceProvider services, ToolSandbox sandbox, TimeProvider time) : IAssistantTool
{
    private const string Schema = """
        {
          "type": "object",
          "properties": { "command": { "type": "string", "description": "A bash command line. KUBECONFIG points at the session's cluster." } },
          "required": ["command"]
        }
        """;

    private readonly AssistantToolOptions _options = options.Value.Tools;

    public string Name => "bash";

    public LlmToolDefinition Definition { get; } = new("bash",
        "Run a bash command in a sandbox on the NodeOps host that sees the session cluster's kubeconfig (KUBECONFIG) and the system's programs, nothing else. Every bash command needs the user's approval.", Schema);

    public PlannedToolCall Plan(string argumentsJson, ToolContext context)
    {
        var (_, text, problem) = ToolArguments.Read(argumentsJson);
        if (text is null)
        {
            return new PlannedToolCall(Name, [], "bash", CommandSafety.Write, problem ?? "缺少 command 参数");
        }

        return new PlannedToolCall(Name, ["-c", text], text, CommandSafety.Write, null);
    }

    public async Task<ToolRunResult> ExecuteAsync(PlannedToolCall call, ToolContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(call);
        ArgumentNullException.ThrowIfNull(context);
        var kubeconfig = services.GetService<IKubeconfigSource>() is { } source
            ? await source.GetKubeconfigAsync(context.Cluster, cancellationToken).ConfigureAwait(false)
            : null;
        using var file = KubeconfigFile.Write(kubeconfig ?? "");
        var environment = new Dictionary<string, string?>
        {
            ["HOME"] = file.Folder,
            ["PATH"] = BoundedProcess.SystemPath,
            ["LANG"] = "C.UTF-8",
        };
        if (kubeconfig is not null)
        {
            environment["KUBECONFIG"] = file.Path;
        }

        var start = new BoundedProcessStart(_options.BashPath, call.Argv, _options.BashTimeout)
        {
            WorkingDirectory = file.Folder,
            InheritEnvironment = false,
            Environment = environment,
            OutputLimitBytes = _options.OutputLimitBytes,
        };
        start = await sandbox.ConfineAsync(start, file.Folder, cancellationToken).ConfigureAwait(false);
        return await ToolProcess.RunAsync(start, time, cancellationToken).ConfigureAwait(false);
    }
}
