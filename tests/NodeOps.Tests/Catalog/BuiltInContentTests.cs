using System.Diagnostics;
using NodeOps.Catalog;
using NodeOps.Catalog.BuiltIn;
using NodeOps.Errors;
using NodeOps.Safety;
using NodeOps.Workflows;

namespace NodeOps.Tests.Catalog;

/// <summary>The shipped content, checked with the real tools, and the read-only scripts actually run on this machine.</summary>
public sealed class BuiltInContentTests
{
    private const string AnsiblePlaybook = "/usr/bin/ansible-playbook";

    public static TheoryData<string> PlaybookKeys => new(BuiltInCatalog.Playbooks.Select(p => p.Key));

    public static TheoryData<string> ScriptKeys => new(BuiltInCatalog.Scripts.Select(s => s.Key));

    [Theory]
    [MemberData(nameof(PlaybookKeys))]
    public async Task Playbook_PassesStructureAndAnsibleSyntaxCheck_AndCoversBothFamilies(string key)
    {
        var content = BuiltInCatalog.Playbooks.Single(p => p.Key == key).Content;
        var errors = new List<FieldError>();
        PlaybookStructure.Check(content, errors);
        Assert.Empty(errors);
        Assert.Contains("ansible_facts['os_family']", content, StringComparison.Ordinal);
        Assert.Contains("'Debian'", content, StringComparison.Ordinal);
        Assert.Contains("'RedHat'", content, StringComparison.Ordinal);

        Assert.True(File.Exists(AnsiblePlaybook), "ansible-playbook is part of the test bed");
        var folder = Directory.CreateTempSubdirectory("nodeops-builtin-");
        try
        {
            var playbook = Path.Combine(folder.FullName, "playbook.yml");
            var inventory = Path.Combine(folder.FullName, "inventory.ini");
            await File.WriteAllTextAsync(playbook, content);
            await File.WriteAllTextAsync(inventory, "[all]\nnode1 ansible_connection=local\n");
            var (exit, output) = await RunAsync(AnsiblePlaybook, ["--syntax-check", "-i", inventory, playbook], null, folder.FullName);
            Assert.True(exit == 0, $"ansible-playbook --syntax-check failed for {key}:\n{output}");
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Theory]
    [MemberData(nameof(ScriptKeys))]
    public async Task Script_PassesBashDashN_AndTheGuard_AndDetectsThePackageManagerWhereItNeedsOne(string key)
    {
        var script = BuiltInCatalog.Scripts.Single(s => s.Key == key);
        Assert.Equal(ScriptLanguages.Shell, script.Language);

        var (exit, output) = await RunAsync("bash", ["-n"], script.Content, null);
        Assert.True(exit == 0, $"bash -n failed for {key}: {output}");
        Assert.False(DangerousCommandGuard.CheckScript(script.Content, ScriptLanguage.Shell).IsBlocked);
        Assert.All(script.Parameters, p => Assert.True(ScriptParameterRules.IsValidName(p.Name), p.Name));
        Assert.All(script.Parameters, p => Assert.Contains("${" + p.Name + ":-", script.Content, StringComparison.Ordinal));
        if (key is BuiltInCatalog.SystemInfo or BuiltInCatalog.CollectLogs)
        {
            Assert.Contains("dpkg-query", script.Content, StringComparison.Ordinal);
            Assert.Contains("rpm", script.Content, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData(BuiltInCatalog.SystemInfo, "=== Kubernetes node components ===")]
    [InlineData(BuiltInCatalog.DiskUsageReport, "=== Largest directories under")]
    [InlineData(BuiltInCatalog.PerformanceSnapshot, "=== Top 3 processes by memory ===")]
    public async Task ReadOnlyScript_RunsOnThisMachine(string key, string expected)
    {
        var script = BuiltInCatalog.Scripts.Single(s => s.Key == key);

        var (exit, output) = await RunAsync("bash", ["-s"], script.Content, null,
            new Dictionary<string, string> { ["SAMPLE_SECONDS"] = "1", ["TOP"] = "3", ["SCAN_PATH"] = AppContext.BaseDirectory });

        Assert.True(exit == 0, output);
        Assert.Contains(expected, output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CollectLogs_WritesAPrivateArchive_AndLeavesNoWorkFolder()
    {
        if (OperatingSystem.IsWindows())
        {
            return; // The scripts are for Linux nodes.
        }

        var script = BuiltInCatalog.Scripts.Single(s => s.Key == BuiltInCatalog.CollectLogs);
        var before = Directory.GetDirectories("/tmp", "nodeops-logs.*").ToHashSet();

        var (exit, output) = await RunAsync("bash", ["-s"], script.Content, null, new Dictionary<string, string> { ["MAX_LINES"] = "50" });

        Assert.True(exit == 0, output);
        var archive = output.Split('\n').Single(l => l.StartsWith("archive: ", StringComparison.Ordinal))["archive: ".Length..].Trim();
        try
        {
            Assert.StartsWith("/tmp/nodeops-logs-", archive, StringComparison.Ordinal);
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(archive));
            var (listExit, listing) = await RunAsync("tar", ["-tzf", archive], null, null);
            Assert.Equal(0, listExit);
            Assert.Contains("system.txt", listing, StringComparison.Ordinal);
            Assert.Equal(before, Directory.GetDirectories("/tmp", "nodeops-logs.*").ToHashSet());
        }
        finally
        {
            File.Delete(archive);
        }
    }

    [Fact]
    public void Workflows_AreValid_AndMaintenanceIsRollingOneNodeAtATime()
    {
        var ids = new Dictionary<string, long>();
        foreach (var workflow in BuiltInCatalog.Workflows)
        {
            var definition = workflow.Resolve(key => ids.TryGetValue(key, out var id) ? id : ids[key] = ids.Count + 1);
            Assert.Empty(WorkflowDefinitionValidator.CheckStructure(definition));
        }

        var maintenance = BuiltInCatalog.Workflows.Single(w => w.Key == BuiltInCatalog.NodeMaintenance).Resolve(_ => 7);
        Assert.Equal(WorkflowStrategy.Rolling, maintenance.StrategyKind);
        Assert.Equal(1, maintenance.BatchSize);
        Assert.Equal(["cordon", "drain", "upgrade", "reboot", "wait_ready", "uncordon"], WorkflowGraph.TopologicalOrder(maintenance.Steps!));
        Assert.Equal(7, maintenance.Steps!.Single(s => s.StepType == WorkflowStepType.Ansible).PlaybookId);
        Assert.Equal(WorkflowStepType.Reboot, maintenance.Steps![3].StepType);
    }

    private static async Task<(int Exit, string Output)> RunAsync(
        string fileName, IReadOnlyList<string> arguments, string? stdin, string? workingDirectory, IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo(fileName)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? "",
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["LC_ALL"] = "C.UTF-8";
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start)!;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        var output = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var error = process.StandardError.ReadToEndAsync(timeout.Token);
        await process.StandardInput.WriteAsync(stdin ?? "");
        process.StandardInput.Close();
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        return (process.ExitCode, await output + await error);
    }
}
