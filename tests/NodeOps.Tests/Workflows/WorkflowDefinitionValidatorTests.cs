using NodeOps.Catalog;
using NodeOps.Errors;
using NodeOps.Workflows;

namespace NodeOps.Tests.Workflows;

public sealed class WorkflowDefinitionValidatorTests
{
    private readonly WorkflowDefinitionValidator _validator = new(new FakeCatalog());

    [Fact]
    public async Task Valid_DefinitionOfEveryStepType_HasNoProblems()
    {
        var definition = new WorkflowDefinition(
            [
                new WorkflowStep("cordon", "Cordon", "k8s", Action: "cordon", Timeout: 60),
                new WorkflowStep("drain", "Drain", "k8s", DependsOn: ["cordon"], Action: "drain", Timeout: 900),
                new WorkflowStep("patch", "Patch", "ansible", DependsOn: ["drain"], PlaybookId: 1, Retry: new StepRetry(3, 30)),
                new WorkflowStep("check", "Check", "ssh", DependsOn: ["patch"], Command: "uptime && df -h"),
                new WorkflowStep("report", "Report", "script", DependsOn: ["check"], ScriptId: 2, Parameters: new Dictionary<string, string> { ["TOP"] = "3" }),
                new WorkflowStep("settle", "Settle", "wait", DependsOn: ["report"], Seconds: 30, Timeout: 60),
                new WorkflowStep("reboot", "Reboot", "reboot", DependsOn: ["settle"], Condition: "on_success", ContinueOnError: false),
                new WorkflowStep("ready", "Ready", "k8s", DependsOn: ["reboot"], Action: "wait_ready"),
                new WorkflowStep("uncordon", "Uncordon", "k8s", DependsOn: ["ready"], Action: "uncordon", Condition: "always"),
            ],
            Strategy: "rolling",
            BatchSize: 1,
            MaxFailPercentage: 0);

        Assert.Empty(await _validator.ValidateAsync(definition));
        Assert.Equal(WorkflowStrategy.Rolling, definition.StrategyKind);
        Assert.Equal(1, definition.RollingBatchSize);
        Assert.Equal(K8sAction.WaitReady, definition.Steps![7].ActionKind);
    }

    [Fact]
    public async Task Problems_AreAllReported_EachOnItsField()
    {
        var definition = new WorkflowDefinition(
        [
            new WorkflowStep("a", "A", "ssh", DependsOn: ["b"], Command: "uptime", Timeout: 0),
            new WorkflowStep("b", "B", "ssh", DependsOn: ["a"], Command: "mkfs.ext4 /dev/sda1"),
            new WorkflowStep("c", null, "ansible", PlaybookId: 404),
            new WorkflowStep("d", "D", "script", ScriptId: 2, Parameters: new Dictionary<string, string> { ["UNDECLARED"] = "1", ["LD_PRELOAD"] = "x" }),
            new WorkflowStep("e", "E", "wait", Seconds: 100, Timeout: 10),
            new WorkflowStep("f", "F", "reboot", Seconds: 5),
        ], Strategy: "parallel", MaxUnavailable: 2);

        var fields = (await _validator.ValidateAsync(definition)).Select(e => e.Field).ToList();

        Assert.Contains("definition.steps[0].timeout", fields);
        Assert.Contains("definition.steps[1].command", fields);
        Assert.Contains("definition.steps[2].name", fields);
        Assert.Contains("definition.steps[2].playbook_id", fields);
        Assert.Contains("definition.steps[3].parameters", fields);
        Assert.Contains("definition.steps[4].timeout", fields);
        Assert.Contains("definition.steps[5].seconds", fields);
        Assert.Contains("definition.max_unavailable", fields);
        Assert.Contains("definition.steps[0].depends_on", fields);
    }

    [Fact]
    public void ThrowIfAny_WithABlockedCommand_CarriesTheGuardsTitleAndCode()
    {
        var errors = WorkflowDefinitionValidator.CheckStructure(new WorkflowDefinition([new WorkflowStep("x", "X", "ssh", Command: "rm -rf /")]));

        var error = Assert.Throws<NodeOpsException>(() => WorkflowDefinitionValidator.ThrowIfAny(errors));

        Assert.Equal(ErrorKind.Validation, error.Kind);
        Assert.Equal("definition.steps[0].command", error.Field);
        Assert.Equal("DANGEROUS_COMMAND", error.Code);
        Assert.Equal("命令验证失败", error.Title);
    }

    [Theory]
    [InlineData("curl -s http://x/s.sh | bash", "fetched-to-interpreter")]
    [InlineData("echo cm0gLXJmIC8= | base64 -d | sh", "decoded-to-interpreter")]
    [InlineData("eval \"$(cat /tmp/cmd)\"", "generated-code")]
    [InlineData("ls /data | xargs rm -rf", "destructive-runtime-arguments")]
    public void ThrowIfAny_SshStepWithHiddenOrRunTimeCode_IsBlockedNamingTheRule(string command, string rule)
    {
        var errors = WorkflowDefinitionValidator.CheckStructure(new WorkflowDefinition([new WorkflowStep("x", "X", "ssh", Command: command)]));

        var error = Assert.Throws<NodeOpsException>(() => WorkflowDefinitionValidator.ThrowIfAny(errors));

        Assert.Equal("DANGEROUS_COMMAND", error.Code);
        Assert.Contains($"[{rule}]", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ThrowIfAny_WithoutBlockedCommands_IsAPlainValidationError()
    {
        var errors = WorkflowDefinitionValidator.CheckStructure(new WorkflowDefinition([new WorkflowStep("x", "X", "teleport")]));

        var error = Assert.Throws<NodeOpsException>(() => WorkflowDefinitionValidator.ThrowIfAny(errors));

        Assert.Equal("definition.steps[0].type", error.Field);
        Assert.Null(error.Code);
    }

    [Fact]
    public void Steps_Missing_TooMany_OrNull_AreReportedOnSteps()
    {
        Assert.Equal("definition", Assert.Single(WorkflowDefinitionValidator.CheckStructure(null)).Field);
        Assert.Equal("definition.steps", Assert.Single(WorkflowDefinitionValidator.CheckStructure(new WorkflowDefinition())).Field);
        var many = Enumerable.Range(0, 51).Select(i => new WorkflowStep($"s{i}", "S", "wait", Seconds: 1)).ToList();
        Assert.Equal("definition.steps", Assert.Single(WorkflowDefinitionValidator.CheckStructure(new WorkflowDefinition(many))).Field);
        Assert.Equal("definition.steps[0]", Assert.Single(WorkflowDefinitionValidator.CheckStructure(new WorkflowDefinition([null!]))).Field);
    }

    private sealed class FakeCatalog : ICatalogSource
    {
        public Task<PlaybookSnapshot?> FindPlaybookAsync(long id, CancellationToken cancellationToken = default) =>
            Task.FromResult(id == 1 ? new PlaybookSnapshot(1, "Upgrade", "- hosts: all", 1) : null);

        public Task<ScriptSnapshot?> FindScriptAsync(long id, CancellationToken cancellationToken = default) =>
            Task.FromResult(id == 2 ? new ScriptSnapshot(2, "Report", "shell", "echo", 1, [new ScriptParameter("TOP", null, "10", false)]) : null);
    }
}
