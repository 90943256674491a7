using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using NodeOps.Json;

namespace NodeOps.Catalog.BuiltIn;

/// <summary>
/// Seeds the built-in catalog at start-up, before requests are served. Safe with many instances starting at once
/// (each item is inserted by a conditional write keyed by its built-in key) and on upgrades (an item is only
/// replaced while it still holds exactly what was seeded before; an operator's edits are kept).
/// </summary>
internal sealed partial class BuiltInSeeder(PlaybookService playbooks, ScriptService scripts, WorkflowService workflows, ILogger<BuiltInSeeder> logger) : IHostedService
{
    public const string Actor = "system";

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (var playbook in BuiltInCatalog.Playbooks)
        {
            var draft = CatalogMetadata.Draft(playbook.Name, playbook.Description, playbook.Category, playbook.Tags, true) with { BuiltinKey = playbook.Key };
            var (outcome, id) = await playbooks.Store.SeedBuiltinAsync(draft, playbook.Content, Actor, cancellationToken).ConfigureAwait(false);
            Report(playbook.Key, outcome, id);
        }

        foreach (var script in BuiltInCatalog.Scripts)
        {
            var draft = CatalogMetadata.Draft(script.Name, script.Description, script.Category, script.Tags, true) with { BuiltinKey = script.Key, Language = script.Language };
            var payload = NodeOpsJson.Serialize(new ScriptPayload(script.Language, script.Content, script.Parameters));
            var (outcome, id) = await scripts.Store.SeedBuiltinAsync(draft, payload, Actor, cancellationToken).ConfigureAwait(false);
            Report(script.Key, outcome, id);
        }

        var references = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var key in BuiltInCatalog.Playbooks.Select(p => p.Key))
        {
            if (await playbooks.Store.FindBuiltinIdAsync(key, cancellationToken).ConfigureAwait(false) is { } id)
            {
                references[key] = id;
            }
        }

        foreach (var key in BuiltInCatalog.Scripts.Select(s => s.Key))
        {
            if (await scripts.Store.FindBuiltinIdAsync(key, cancellationToken).ConfigureAwait(false) is { } id)
            {
                references[key] = id;
            }
        }

        foreach (var workflow in BuiltInCatalog.Workflows)
        {
            var missing = new List<string>();
            var definition = workflow.Resolve(key =>
            {
                if (references.TryGetValue(key, out var id))
                {
                    return id;
                }

                missing.Add(key);
                return 0;
            });
            if (missing.Count > 0)
            {
                LogWorkflowSkipped(logger, workflow.Key, string.Join(", ", missing));
                continue;
            }

            var draft = CatalogMetadata.Draft(workflow.Name, workflow.Description, workflow.Category, workflow.Tags, true) with
            {
                BuiltinKey = workflow.Key,
                StepCount = definition.Steps?.Count ?? 0,
            };
            var (outcome, id) = await workflows.Store.SeedBuiltinAsync(draft, NodeOpsJson.Serialize(definition), Actor, cancellationToken).ConfigureAwait(false);
            Report(workflow.Key, outcome, id);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private void Report(string key, BuiltinSeedOutcome outcome, long? id)
    {
        switch (outcome)
        {
            case BuiltinSeedOutcome.Created or BuiltinSeedOutcome.Upgraded:
                LogSeeded(logger, key, outcome, id ?? 0);
                break;
            case BuiltinSeedOutcome.KeptUserChanges:
                LogKeptChanges(logger, key, id ?? 0);
                break;
            case BuiltinSeedOutcome.NameTaken or BuiltinSeedOutcome.Missing:
                LogNotSeeded(logger, key, outcome);
                break;
        }
    }

    [LoggerMessage(EventId = 3001, Level = LogLevel.Information, Message = "Built-in {Key}: {Outcome} (id {Id})")]
    private static partial void LogSeeded(ILogger logger, string key, BuiltinSeedOutcome outcome, long id);

    [LoggerMessage(EventId = 3002, Level = LogLevel.Information, Message = "Built-in {Key} (id {Id}) has a newer version, but an operator changed it; their version is kept")]
    private static partial void LogKeptChanges(ILogger logger, string key, long id);

    [LoggerMessage(EventId = 3003, Level = LogLevel.Warning, Message = "Built-in {Key} was not seeded: {Outcome}")]
    private static partial void LogNotSeeded(ILogger logger, string key, BuiltinSeedOutcome outcome);

    [LoggerMessage(EventId = 3004, Level = LogLevel.Warning, Message = "Built-in workflow {Key} was not seeded: it needs {Missing}, which were not seeded")]
    private static partial void LogWorkflowSkipped(ILogger logger, string key, string missing);
}
