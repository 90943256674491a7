using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using NodeOps.Clusters;

namespace NodeOps.Assistant;

/// <summary>
/// A shell, off unless Assistant:Tools:BashEnabled is set. Whatever it runs cannot be classified with certainty,
/// so every call is a write: refused in read-only mode, and paused for approval otherwise.
/// </summary>
internal sealed class BashTool(IOptions<AssistantOptions> options, IServiceProvider services, TimeProvider time) : IAssistantTool
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
        "Run a bash command on the NodeOps host. Every bash command needs the user's approval.", Schema);

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
        var start = new ProcessStartInfo(_options.BashPath) { WorkingDirectory = file.Folder };
        start.Environment.Clear();
        start.Environment["HOME"] = file.Folder;
        start.Environment["PATH"] = "/usr/local/bin:/usr/bin:/bin";
        start.Environment["LANG"] = "C.UTF-8";
        if (kubeconfig is not null)
        {
            start.Environment["KUBECONFIG"] = file.Path;
        }

        foreach (var arg in call.Argv)
        {
            start.ArgumentList.Add(arg);
        }

        return await ToolProcess.RunAsync(start, _options.BashTimeout, _options.OutputLimitBytes, time, cancellationToken).ConfigureAwait(false);
    }
}
