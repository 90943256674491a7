using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using NodeOps.Auth;
using NodeOps.Errors;
using NodeOps.Features;
using NodeOps.Runners.Ansible;

namespace NodeOps.Executions.Kinds;

/// <summary>
/// Playbook runs for the API: checks a run request (options against the allow-list, extra_vars names, the
/// playbook, the nodes and the credential) and submits it to the engine; builds the status view with the
/// per-host results, the recap and a page of the output.
/// </summary>
public sealed class AnsibleRunService(
    ExecutionService executions,
    NodeTargets targets,
    CatalogPorts catalog,
    FeatureService features,
    AnsibleRunStore runs,
    AnsibleRunSlots slots,
    AnsibleSandbox sandbox,
    IOptions<AnsibleOptions> options)
{
    public const int MaxOutputPage = 1_000_000;

    public async Task<ExecutionRecord> SubmitAsync(AnsibleRunCommand command, Actor actor, CancellationToken cancellationToken = default) =>
        await executions.SubmitAsync(await PrepareAsync(command, actor, cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);

    /// <summary>Checks a run request and turns it into a submission: the one validator the run route and a schedule's ansible target share.</summary>
    public async Task<ExecutionSubmission> PrepareAsync(AnsibleRunCommand command, Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(actor);
        if (command.PlaybookId <= 0)
        {
            throw NodeOpsException.BadRequest("playbook_id", "playbook_id 必须是正整数");
        }

        var arguments = AnsibleArguments.Parse(command.ExtraArgs);
        AnsibleExtraVars.Validate(command.ExtraVars);
        await sandbox.EnsureAvailableAsync(cancellationToken).ConfigureAwait(false);
        var settings = (await features.GetAsync(cancellationToken).ConfigureAwait(false)).Ansible;
        var playbook = await catalog.Catalog.FindPlaybookAsync(command.PlaybookId, cancellationToken).ConfigureAwait(false)
            ?? throw NodeOpsException.NotFound($"Playbook ID {command.PlaybookId} 不存在");
        // max_concurrent here is per execution (nodes at once); a playbook's is its forks, checked below.
        var (nodes, _, _) = await targets.PrepareAsync(command.ClusterName, command.TargetNodes, command.CredentialId, settings.Timeout, 1, cancellationToken).ConfigureAwait(false);

        if (!options.Value.AllowControllerPlays)
        {
            var errors = new List<FieldError>();
            Catalog.PlaybookControllerRules.Check(playbook.Content, nodes.Select(n => n.Name).ToHashSet(StringComparer.Ordinal), errors, "playbook_id");
            NodeOpsException.ThrowIfAny(errors);
        }

        if (arguments.Limit is { } limit)
        {
            // A limit narrows the run to the targets it selects; it may never reach beyond them.
            var hosts = nodes.Select(n => new AnsibleHost(n.Name, n.Address, n.Port, n.Labels)).ToList();
            var selected = AnsibleLimit.Select(limit, command.ClusterName, hosts).ToHashSet(StringComparer.Ordinal);
            nodes = nodes.Where(n => selected.Contains(n.Name)).ToList();
        }

        var payload = new AnsiblePayload(
            playbook.Id,
            playbook.Name,
            playbook.Version,
            playbook.Content,
            arguments,
            command.ExtraVars is { Count: > 0 } vars ? (JsonObject)vars.DeepClone() : null,
            settings.Forks,
            nodes.ToDictionary(n => n.Name, n => n.Labels, StringComparer.Ordinal));
        var summary = new JsonObject
        {
            ["playbook_id"] = playbook.Id,
            ["playbook_name"] = playbook.Name,
            ["playbook_version"] = playbook.Version,
            ["extra_args"] = command.ExtraArgs ?? "",
            ["check_mode"] = arguments.Check,
            ["forks"] = settings.Forks,
        };
        if (arguments.Limit is not null)
        {
            summary["requested_nodes"] = new JsonArray(command.TargetNodes.Select(n => (JsonNode?)JsonValue.Create(n)).ToArray());
        }

        return new ExecutionSubmission(
            AnsibleKind.Name,
            command.ClusterName,
            nodes,
            command.CredentialId,
            settings.Timeout,
            settings.Forks,
            payload,
            summary,
            actor);
    }

    /// <summary>The status view; <paramref name="outputOffset"/> pages through the stored output instead of showing its tail.</summary>
    public async Task<JsonObject> GetStatusAsync(string taskId, long? outputOffset, int? outputLimit, CancellationToken cancellationToken = default)
    {
        if (outputOffset is < 0)
        {
            throw NodeOpsException.BadRequest("output_offset", "output_offset 不能为负数");
        }

        if (outputLimit is < 1 or > MaxOutputPage)
        {
            throw NodeOpsException.BadRequest("output_limit", $"output_limit 必须在 1 到 {MaxOutputPage} 之间");
        }

        var (execution, results) = await executions.GetAsync(AnsibleKind.Name, taskId, cancellationToken).ConfigureAwait(false);
        var counts = await executions.CountsAsync(execution, cancellationToken).ConfigureAwait(false);
        var state = await runs.GetStateAsync(taskId, cancellationToken).ConfigureAwait(false);
        var page = await runs.ReadOutputAsync(taskId, state, outputOffset, outputLimit ?? options.Value.OutputTailChars, cancellationToken).ConfigureAwait(false);
        var position = await slots.QueuePositionAsync(execution, cancellationToken).ConfigureAwait(false);
        return AnsibleRunViews.Status(execution, counts, results, state, page, position);
    }
}
