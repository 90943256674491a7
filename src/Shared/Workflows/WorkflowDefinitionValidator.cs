using System.Text.RegularExpressions;
using NodeOps.Catalog;
using NodeOps.Errors;
using NodeOps.Safety;

namespace NodeOps.Workflows;

/// <summary>
/// Checks a workflow definition and reports every problem found, each on the field at fault
/// ("definition.steps[2].depends_on") and naming the step. Structure is checked without I/O; references to
/// playbooks and scripts are checked against the catalog, at save time and again by the engine at run time.
/// </summary>
public sealed partial class WorkflowDefinitionValidator(ICatalogSource catalog)
{
    public const int MaxSteps = 50;
    public const int MaxTimeoutSeconds = 86_400;
    public const int MaxWaitSeconds = 86_400;
    public const int MaxRetryAttempts = 10;
    public const int MaxRetryDelaySeconds = 3600;
    public const int MaxCommandLength = 64 * 1024;
    public const int MaxBatchSize = 10_000;
    public const int MaxParameterValueLength = 4096;

    // GuardVerdict.Error always starts with this; it marks the problems that came from the guard.
    private const string BlockedMarker = "危险命令已拦截";

    public const int MaxGracePeriodSeconds = 3600;

    private static readonly string[] DrainFields = ["delete_emptydir_data", "force", "grace_period", "disable_eviction"];

    private static readonly Dictionary<WorkflowStepType, string[]> OwnFields = new()
    {
        [WorkflowStepType.K8s] = ["action", .. DrainFields],
        [WorkflowStepType.Ansible] = ["playbook_id"],
        [WorkflowStepType.Ssh] = ["command"],
        [WorkflowStepType.Script] = ["script_id", "parameters"],
        [WorkflowStepType.Wait] = ["seconds"],
        [WorkflowStepType.Reboot] = [],
        [WorkflowStepType.Approval] = [],
    };

    /// <summary>Structure, then references (only when the structure is sound enough to name them).</summary>
    public async Task<IReadOnlyList<FieldError>> ValidateAsync(WorkflowDefinition? definition, string field = "definition", CancellationToken cancellationToken = default)
    {
        var errors = CheckStructure(definition, field).ToList();
        if (definition?.Steps is { Count: > 0 and <= MaxSteps })
        {
            errors.AddRange(await CheckReferencesAsync(definition, field, cancellationToken).ConfigureAwait(false));
        }

        return errors;
    }

    public static IReadOnlyList<FieldError> CheckStructure(WorkflowDefinition? definition, string field = "definition")
    {
        var errors = new List<FieldError>();
        if (definition is null)
        {
            errors.Add(new FieldError(field, "工作流定义不能为空"));
            return errors;
        }

        CheckStrategy(definition, field, errors);
        var steps = definition.Steps;
        if (steps is null || steps.Count == 0)
        {
            errors.Add(new FieldError(field + ".steps", "至少需要一个步骤"));
            return errors;
        }

        if (steps.Count > MaxSteps)
        {
            errors.Add(new FieldError(field + ".steps", $"最多 {MaxSteps} 个步骤，实际为 {steps.Count} 个"));
            return errors;
        }

        var ids = new HashSet<string>(StringComparer.Ordinal);
        var known = steps.Where(s => s?.Id is not null).Select(s => s!.Id!).ToHashSet(StringComparer.Ordinal);
        for (var i = 0; i < steps.Count; i++)
        {
            var at = $"{field}.steps[{i}]";
            var step = steps[i];
            if (step is null)
            {
                errors.Add(new FieldError(at, $"步骤 #{i + 1} 不能为 null"));
                continue;
            }

            var label = step.Id is { Length: > 0 } ? $"步骤 {Printable(step.Id)}" : $"步骤 #{i + 1}";
            void Add(string property, string message) => errors.Add(new FieldError($"{at}.{property}", $"{label}: {message}"));

            if (string.IsNullOrEmpty(step.Id))
            {
                Add("id", "缺少 id");
            }
            else if (!StepIdRegex().IsMatch(step.Id))
            {
                Add("id", "id 只能包含字母、数字、_ . -，以字母或数字开头，最多 64 个字符");
            }
            else if (!ids.Add(step.Id))
            {
                Add("id", $"id {step.Id} 重复");
            }

            if (string.IsNullOrWhiteSpace(step.Name))
            {
                Add("name", "缺少 name");
            }
            else if (step.Name.Length > CatalogRules.MaxNameLength || step.Name.Any(char.IsControl))
            {
                Add("name", $"name 最多 {CatalogRules.MaxNameLength} 个字符，且不能包含控制字符");
            }

            if (step.Timeout is { } timeout && timeout is < 1 or > MaxTimeoutSeconds)
            {
                Add("timeout", $"timeout 必须在 1 到 {MaxTimeoutSeconds} 秒之间，实际为 {timeout}");
            }

            if (step.Condition is not null && WorkflowTerms.ParseCondition(step.Condition) is null)
            {
                Add("condition", $"未知 condition '{Printable(step.Condition)}'，可选: {string.Join(", ", WorkflowTerms.Conditions)}");
            }

            CheckRetry(step.Retry, Add);
            CheckDependencies(step, known, Add);
            CheckTypeFields(step, Add);
        }

        foreach (var cycle in WorkflowGraph.FindCycles(steps))
        {
            var index = IndexOf(steps, cycle[0]);
            errors.Add(new FieldError($"{field}.steps[{index}].depends_on", $"步骤 {cycle[0]}: 依赖形成环: {string.Join(" -> ", cycle)}"));
        }

        return errors;
    }

    /// <summary>Every referenced playbook and script must exist and be active; script parameters must be declared.</summary>
    public async Task<IReadOnlyList<FieldError>> CheckReferencesAsync(WorkflowDefinition definition, string field = "definition", CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(definition);
        var errors = new List<FieldError>();
        var playbooks = new Dictionary<long, PlaybookSnapshot?>();
        var scripts = new Dictionary<long, ScriptSnapshot?>();
        var steps = definition.Steps ?? [];
        for (var i = 0; i < steps.Count; i++)
        {
            var step = steps[i];
            var label = $"步骤 {Printable(step?.Id ?? "#" + (i + 1))}";
            if (step?.StepType == WorkflowStepType.Ansible && step.PlaybookId is > 0 and var playbookId)
            {
                if (!playbooks.TryGetValue(playbookId, out var playbook))
                {
                    playbooks[playbookId] = playbook = await catalog.FindPlaybookAsync(playbookId, cancellationToken).ConfigureAwait(false);
                }

                if (playbook is null)
                {
                    errors.Add(new FieldError($"{field}.steps[{i}].playbook_id", $"{label}: Playbook ID {playbookId} 不存在或已停用"));
                }
            }

            if (step?.StepType == WorkflowStepType.Script && step.ScriptId is > 0 and var scriptId)
            {
                if (!scripts.TryGetValue(scriptId, out var script))
                {
                    scripts[scriptId] = script = await catalog.FindScriptAsync(scriptId, cancellationToken).ConfigureAwait(false);
                }

                if (script is null)
                {
                    errors.Add(new FieldError($"{field}.steps[{i}].script_id", $"{label}: 脚本 ID {scriptId} 不存在或已停用"));
                }
                else if (step.Parameters is not null)
                {
                    var declared = script.Parameters.Select(p => p.Name).ToHashSet(StringComparer.Ordinal);
                    var unknown = step.Parameters.Keys.Where(k => !declared.Contains(k)).ToList();
                    if (unknown.Count > 0)
                    {
                        errors.Add(new FieldError($"{field}.steps[{i}].parameters", $"{label}: 脚本 {script.Name} 未声明参数 {string.Join(", ", unknown.Select(Printable))}"));
                    }
                }
            }
        }

        return errors;
    }

    /// <summary>
    /// The 422 for a list of problems: when a step's command was blocked by the dangerous-command guard it carries the
    /// guard's title and code ("命令验证失败", DANGEROUS_COMMAND), as every other blocked command does.
    /// </summary>
    public static void ThrowIfAny(IReadOnlyList<FieldError> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (errors.Count == 0)
        {
            return;
        }

        var blocked = errors.FirstOrDefault(e => e.Message.Contains(BlockedMarker, StringComparison.Ordinal));
        if (blocked is null)
        {
            NodeOpsException.ThrowIfAny(errors);
            return;
        }

        throw new NodeOpsException(ErrorKind.Validation, string.Join("; ", errors.Select(e => $"{e.Field}: {e.Message}")), blocked.Field, DangerousCommandGuard.ErrorCode)
        {
            Title = DangerousCommandGuard.ErrorTitle,
            Details = errors,
        };
    }

    private static void CheckStrategy(WorkflowDefinition definition, string field, List<FieldError> errors)
    {
        var strategy = WorkflowTerms.ParseStrategy(definition.Strategy);
        if (definition.Strategy is not null && strategy is null)
        {
            errors.Add(new FieldError(field + ".strategy", $"未知 strategy '{Printable(definition.Strategy)}'，可选: {string.Join(", ", WorkflowTerms.Strategies)}"));
        }

        foreach (var (name, value) in new[] { ("batch_size", definition.BatchSize), ("max_unavailable", definition.MaxUnavailable) })
        {
            if (value is null)
            {
                continue;
            }

            if (strategy != WorkflowStrategy.Rolling)
            {
                errors.Add(new FieldError($"{field}.{name}", $"{name} 只适用于 rolling 策略"));
            }
            else if (value is < 1 or > MaxBatchSize)
            {
                errors.Add(new FieldError($"{field}.{name}", $"{name} 必须在 1 到 {MaxBatchSize} 之间"));
            }
        }

        if (definition.BatchSize is not null && definition.MaxUnavailable is not null)
        {
            errors.Add(new FieldError(field + ".max_unavailable", "batch_size 与 max_unavailable 只能指定一个"));
        }

        if (definition.MaxFailPercentage is { } percentage && percentage is < 0 or > 100)
        {
            errors.Add(new FieldError(field + ".max_fail_percentage", "max_fail_percentage 必须在 0 到 100 之间"));
        }
    }

    private static void CheckRetry(StepRetry? retry, Action<string, string> add)
    {
        if (retry is null)
        {
            return;
        }

        if (retry.MaxAttempts is not { } attempts || attempts is < 1 or > MaxRetryAttempts)
        {
            add("retry.max_attempts", $"retry.max_attempts 必须在 1 到 {MaxRetryAttempts} 之间");
        }

        if (retry.Delay is { } delay && delay is < 0 or > MaxRetryDelaySeconds)
        {
            add("retry.delay", $"retry.delay 必须在 0 到 {MaxRetryDelaySeconds} 秒之间");
        }
    }

    private static void CheckDependencies(WorkflowStep step, HashSet<string> known, Action<string, string> add)
    {
        if (step.DependsOn is null)
        {
            return;
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var dependency in step.DependsOn)
        {
            if (dependency is null || !known.Contains(dependency))
            {
                add("depends_on", $"depends_on 引用了不存在的步骤 '{Printable(dependency ?? "null")}'");
            }
            else if (!seen.Add(dependency))
            {
                add("depends_on", $"depends_on 重复引用步骤 {dependency}");
            }
        }
    }

    private static void CheckTypeFields(WorkflowStep step, Action<string, string> add)
    {
        if (string.IsNullOrEmpty(step.Type))
        {
            add("type", $"缺少 type，可选: {string.Join(", ", WorkflowTerms.StepTypes)}");
            return;
        }

        if (step.StepType is not { } type)
        {
            add("type", $"未知步骤类型 '{Printable(step.Type)}'，可选: {string.Join(", ", WorkflowTerms.StepTypes)}");
            return;
        }

        var present = new List<string>();
        if (step.Action is not null) present.Add("action");
        if (step.PlaybookId is not null) present.Add("playbook_id");
        if (step.Command is not null) present.Add("command");
        if (step.ScriptId is not null) present.Add("script_id");
        if (step.Parameters is not null) present.Add("parameters");
        if (step.Seconds is not null) present.Add("seconds");
        if (step.DeleteEmptydirData is not null) present.Add("delete_emptydir_data");
        if (step.Force is not null) present.Add("force");
        if (step.GracePeriod is not null) present.Add("grace_period");
        if (step.DisableEviction is not null) present.Add("disable_eviction");
        foreach (var foreign in present.Except(OwnFields[type]))
        {
            add(foreign, $"{foreign} 不适用于 {step.Type} 步骤");
        }

        if (type == WorkflowStepType.K8s && step.ActionKind is { } action && action != K8sAction.Drain)
        {
            foreach (var drainOnly in present.Intersect(DrainFields))
            {
                add(drainOnly, $"{drainOnly} 只适用于 action 为 drain 的 k8s 步骤");
            }
        }

        if (step.GracePeriod is { } grace && grace is < 0 or > MaxGracePeriodSeconds)
        {
            add("grace_period", $"grace_period 必须在 0 到 {MaxGracePeriodSeconds} 秒之间");
        }

        switch (type)
        {
            case WorkflowStepType.K8s when step.Action is null:
                add("action", $"k8s 步骤需要 action，可选: {string.Join(", ", WorkflowTerms.K8sActions)}");
                break;
            case WorkflowStepType.K8s when step.ActionKind is null:
                add("action", $"未知 k8s action '{Printable(step.Action!)}'，可选: {string.Join(", ", WorkflowTerms.K8sActions)}");
                break;
            case WorkflowStepType.Ansible when step.PlaybookId is not > 0:
                add("playbook_id", "ansible 步骤需要正整数 playbook_id");
                break;
            case WorkflowStepType.Ssh when string.IsNullOrWhiteSpace(step.Command):
                add("command", "ssh 步骤需要 command");
                break;
            case WorkflowStepType.Ssh when step.Command!.Length > MaxCommandLength || step.Command.Contains('\0', StringComparison.Ordinal):
                add("command", $"command 最多 {MaxCommandLength} 个字符，且不能包含 NUL");
                break;
            case WorkflowStepType.Ssh when DangerousCommandGuard.Check(step.Command!) is { IsBlocked: true } verdict:
                add("command", verdict.Error!);
                break;
            case WorkflowStepType.Script:
                CheckScriptStep(step, add);
                break;
            case WorkflowStepType.Wait when step.Seconds is not { } seconds || seconds is < 1 or > MaxWaitSeconds:
                add("seconds", $"wait 步骤需要 seconds，范围 1 到 {MaxWaitSeconds}");
                break;
            case WorkflowStepType.Wait when step.Timeout is { } limit && limit < step.Seconds:
                add("timeout", $"timeout ({limit}) 小于等待时间 seconds ({step.Seconds})");
                break;
        }
    }

    private static void CheckScriptStep(WorkflowStep step, Action<string, string> add)
    {
        if (step.ScriptId is not > 0)
        {
            add("script_id", "script 步骤需要正整数 script_id");
        }

        foreach (var (name, value) in step.Parameters ?? new Dictionary<string, string>())
        {
            if (!ScriptParameterRules.IsValidName(name))
            {
                add("parameters", $"参数名 '{Printable(name)}' 不是允许的环境变量名");
            }
            else if (value is null || value.Length > MaxParameterValueLength || value.Contains('\0', StringComparison.Ordinal))
            {
                add("parameters", $"参数 {name} 的值必须是最多 {MaxParameterValueLength} 个字符、不含 NUL 的字符串");
            }
        }
    }

    private static int IndexOf(IReadOnlyList<WorkflowStep?> steps, string id)
    {
        for (var i = 0; i < steps.Count; i++)
        {
            if (steps[i]?.Id == id)
            {
                return i;
            }
        }

        return 0;
    }

    private static string Printable(string text) => CatalogRules.Printable(text);

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")]
    private static partial Regex StepIdRegex();
}
