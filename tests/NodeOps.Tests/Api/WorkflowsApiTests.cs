using System.Net;
using System.Text.Json;
using NodeOps.Auth;
using NodeOps.Tests.TestBed;

namespace NodeOps.Tests.Api;

public sealed class WorkflowsApiTests(CatalogApiFixture fixture) : IClassFixture<CatalogApiFixture>
{
    private const string Path = "/api/v1/automation/workflows";

    private HttpClient User => fixture.Client(Role.User);

    [Fact]
    public async Task BuiltinNodeMaintenance_CordonsDrainsUpgradesRebootsWaitsAndUncordons_OneNodeAtATime()
    {
        var list = (await fixture.Client(Role.Viewer).GetApiAsync(Path + "?is_builtin=true")).AssertStatus(HttpStatusCode.OK);
        var summary = list.Data.GetProperty("workflows").EnumerateArray().Single(w => w.GetProperty("name").GetString() == "节点维护");
        Assert.Equal(6, summary.GetProperty("step_count").GetInt32());
        Assert.Equal("maintenance", summary.GetProperty("category").GetString());

        var detail = (await fixture.Client(Role.Viewer).GetApiAsync($"{Path}/{summary.GetProperty("id").GetInt64()}")).AssertStatus(HttpStatusCode.OK);
        var definition = detail.Data.GetProperty("definition");
        Assert.Equal("rolling", definition.GetProperty("strategy").GetString());
        Assert.Equal(1, definition.GetProperty("batch_size").GetInt32());
        var steps = definition.GetProperty("steps").EnumerateArray().ToList();
        Assert.Equal(
            ["k8s:cordon", "k8s:drain", "ansible", "reboot", "k8s:wait_ready", "k8s:uncordon"],
            steps.Select(s => s.GetProperty("type").GetString() + (s.TryGetProperty("action", out var a) ? ":" + a.GetString() : "")).ToArray());
        for (var i = 1; i < steps.Count; i++)
        {
            Assert.Equal(steps[i - 1].GetProperty("id").GetString(), Assert.Single(steps[i].GetProperty("depends_on").EnumerateArray()).GetString());
        }

        var playbookId = steps[2].GetProperty("playbook_id").GetInt64();
        var playbook = (await fixture.Client(Role.Viewer).GetApiAsync($"/api/v1/automation/ansible/playbooks/{playbookId}")).AssertStatus(HttpStatusCode.OK);
        Assert.Equal("系统升级", playbook.Data.GetProperty("name").GetString());
        Assert.True(playbook.Data.GetProperty("is_builtin").GetBoolean());
    }

    [Fact]
    public async Task Create_ValidWorkflow_Returns201WithStepCount_AndListShowsIt()
    {
        var (playbookId, scriptId) = await BuiltinIdsAsync();
        var name = Unique("Custom maintenance");
        var created = (await User.PostJsonAsync(Path, new
        {
            name,
            description = "自定义的维护工作流",
            category = "maintenance",
            definition = new
            {
                steps = new object[]
                {
                    new { id = "step1", name = "检查状态", type = "ssh", command = "uptime", timeout = 30 },
                    new { id = "step2", name = "执行维护", type = "ansible", playbook_id = playbookId, depends_on = new[] { "step1" }, timeout = 1800, retry = new { max_attempts = 2, delay = 10 } },
                    new { id = "step3", name = "报告", type = "script", script_id = scriptId, parameters = new Dictionary<string, string> { ["TOP"] = "5" }, depends_on = new[] { "step2" }, condition = "always" },
                    new { id = "step4", name = "等待", type = "wait", seconds = 5, depends_on = new[] { "step1" }, continue_on_error = true },
                },
                strategy = "rolling",
                max_unavailable = 2,
                max_fail_percentage = 10,
            },
        })).AssertStatus(HttpStatusCode.Created);

        Assert.Equal(4, created.Data.GetProperty("step_count").GetInt32());
        var step = created.Data.GetProperty("definition").GetProperty("steps")[0];
        Assert.False(step.TryGetProperty("playbook_id", out _), "fields a step does not have are left out");

        var list = (await fixture.Client(Role.Viewer).GetApiAsync(Path + "?category=maintenance&page_size=100")).AssertStatus(HttpStatusCode.OK);
        var listed = list.Data.GetProperty("workflows").EnumerateArray().Single(w => w.GetProperty("name").GetString() == name);
        Assert.Equal(4, listed.GetProperty("step_count").GetInt32());
        Assert.False(listed.TryGetProperty("definition", out _));
    }

    [Fact]
    public async Task Create_InvalidDefinition_ReportsEveryProblemWithTheStepAtFault()
    {
        var response = await User.PostJsonAsync(Path, new
        {
            name = Unique("Broken"),
            definition = new
            {
                steps = new object[]
                {
                    new { id = "a", name = "A", type = "ssh", command = "uptime", depends_on = new[] { "c" } },
                    new { id = "a", name = "Duplicate", type = "wait", seconds = 1 },
                    new { id = "b", name = "B", type = "teleport" },
                    new { id = "c", name = "C", type = "k8s", action = "explode", depends_on = new[] { "d" } },
                    new { id = "d", name = "D", type = "ansible", playbook_id = 987654, depends_on = new[] { "a", "ghost" }, timeout = 0 },
                    new { id = "e", name = "E", type = "script", script_id = 876543, timeout = 90000 },
                },
            },
        });

        response.AssertError(HttpStatusCode.UnprocessableEntity);
        var details = response.Json.GetProperty("details").EnumerateArray()
            .Select(d => (Field: d.GetProperty("field").GetString()!, Message: d.GetProperty("message").GetString()!)).ToList();
        Assert.Contains(details, d => d.Field == "definition.steps[1].id" && d.Message.Contains("重复", StringComparison.Ordinal));
        Assert.Contains(details, d => d.Field == "definition.steps[2].type" && d.Message.Contains("teleport", StringComparison.Ordinal));
        Assert.Contains(details, d => d.Field == "definition.steps[3].action" && d.Message.StartsWith("步骤 c:", StringComparison.Ordinal));
        Assert.Contains(details, d => d.Field == "definition.steps[4].depends_on" && d.Message.Contains("ghost", StringComparison.Ordinal));
        Assert.Contains(details, d => d.Field == "definition.steps[4].timeout");
        Assert.Contains(details, d => d.Field == "definition.steps[5].timeout");
        Assert.Contains(details, d => d.Field == "definition.steps[4].playbook_id" && d.Message.Contains("987654", StringComparison.Ordinal));
        Assert.Contains(details, d => d.Field == "definition.steps[5].script_id" && d.Message.Contains("876543", StringComparison.Ordinal));
        Assert.Contains(details, d => d.Field.EndsWith(".depends_on", StringComparison.Ordinal) && d.Message.Contains("a -> c -> d -> a", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Create_MoreThan50Steps_Returns422OnSteps()
    {
        var steps = Enumerable.Range(1, 51).Select(i => new { id = $"s{i}", name = $"Step {i}", type = "wait", seconds = 1 }).ToArray();

        var response = await User.PostJsonAsync(Path, new { name = Unique("Too long"), definition = new { steps } });

        response.AssertError(HttpStatusCode.UnprocessableEntity, "definition.steps");
        Assert.Contains("50", response.Json.GetProperty("error").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{\"name\":\"x\"}", 400, "definition")]
    [InlineData("{\"name\":\"x\",\"definition\":{\"steps\":[{\"id\":\"a\",\"name\":\"A\",\"type\":\"wait\",\"seconds\":1,\"bogus\":1}]}}", 400, "definition.steps[0].bogus")]
    [InlineData("{\"name\":\"x\",\"definition\":{\"steps\":[{\"id\":\"a\",\"name\":\"A\",\"type\":\"wait\",\"seconds\":\"ten\"}]}}", 400, "definition.steps[0].seconds")]
    [InlineData("{\"name\":\"x\",\"definition\":{\"steps\":[]}}", 422, "definition.steps")]
    [InlineData("{\"name\":\"x\",\"definition\":{\"steps\":[{\"id\":\"a\",\"name\":\"A\",\"type\":\"wait\",\"seconds\":1}],\"strategy\":\"random\"}}", 422, "definition.strategy")]
    [InlineData("{\"name\":\"x\",\"definition\":{\"steps\":[{\"id\":\"a\",\"name\":\"A\",\"type\":\"wait\",\"seconds\":1}],\"batch_size\":2}}", 422, "definition.batch_size")]
    [InlineData("{\"name\":\"x\",\"definition\":{\"steps\":[{\"id\":\"a\",\"name\":\"A\",\"type\":\"wait\",\"seconds\":1}],\"max_fail_percentage\":101}}", 422, "definition.max_fail_percentage")]
    [InlineData("{\"name\":\"x\",\"definition\":{\"steps\":[{\"id\":\"a\",\"name\":\"A\",\"type\":\"k8s\",\"action\":\"cordon\",\"command\":\"ls\"}]}}", 422, "definition.steps[0].command")]
    [InlineData("{\"name\":\"x\",\"definition\":{\"steps\":[{\"id\":\"a\",\"name\":\"A\",\"type\":\"ssh\",\"command\":\"ls\",\"retry\":{\"max_attempts\":0}}]}}", 422, "definition.steps[0].retry.max_attempts")]
    [InlineData("{\"name\":\"x\",\"definition\":{\"steps\":[{\"id\":\"a\",\"name\":\"A\",\"type\":\"ssh\",\"command\":\"ls\",\"condition\":\"sometimes\"}]}}", 422, "definition.steps[0].condition")]
    [InlineData("{\"name\":\"x\",\"definition\":{\"steps\":[{\"id\":\"a b\",\"name\":\"A\",\"type\":\"reboot\"}]}}", 422, "definition.steps[0].id")]
    [InlineData("{\"name\":\"x\",\"definition\":{\"steps\":[{\"id\":\"a\",\"name\":\"A\",\"type\":\"ssh\"}]}}", 422, "definition.steps[0].command")]
    public async Task Create_BadDefinition_NamesTheExactField(string body, int status, string field)
    {
        (await User.PostJsonAsync(Path, body)).AssertError((HttpStatusCode)status, field);
    }

    [Fact]
    public async Task Create_SshStepWithDangerousCommand_Returns422FromTheGuard_OnThatStepsCommand()
    {
        var response = await User.PostJsonAsync(Path, new
        {
            name = Unique("Wipe"),
            definition = new
            {
                steps = new object[]
                {
                    new { id = "look", name = "Look", type = "ssh", command = "echo 'rm -rf /' && df -h" },
                    new { id = "wipe", name = "Wipe", type = "ssh", command = "sudo rm -rf --no-preserve-root /", depends_on = new[] { "look" } },
                },
            },
        });

        response.AssertError(HttpStatusCode.UnprocessableEntity, "definition.steps[1].command");
        Assert.Equal("命令验证失败", response.Json.GetProperty("message").GetString());
        Assert.Equal("DANGEROUS_COMMAND", response.Json.GetProperty("error_code").GetString());
        Assert.Contains("危险命令已拦截", response.Json.GetProperty("error").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Create_ScriptStepWithUndeclaredParameter_Returns422OnParameters()
    {
        var (_, scriptId) = await BuiltinIdsAsync();
        var response = await User.PostJsonAsync(Path, new
        {
            name = Unique("Undeclared"),
            definition = new { steps = new[] { new { id = "s", name = "S", type = "script", script_id = scriptId, parameters = new Dictionary<string, string> { ["NOPE"] = "1" } } } },
        });

        response.AssertError(HttpStatusCode.UnprocessableEntity, "definition.steps[0].parameters");
        Assert.Contains("NOPE", response.Json.GetProperty("error").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Update_Definition_BumpsVersion_AndTheOldDefinitionStaysReadable()
    {
        var created = (await User.PostJsonAsync(Path, new
        {
            name = Unique("Versioned"),
            definition = new { steps = new[] { new { id = "one", name = "One", type = "wait", seconds = 1 } } },
        })).AssertStatus(HttpStatusCode.Created);
        var id = created.Data.GetProperty("id").GetInt64();

        var updated = (await User.PutJsonAsync($"{Path}/{id}", new
        {
            definition = new { steps = new object[] { new { id = "one", name = "One", type = "wait", seconds = 1 }, new { id = "two", name = "Two", type = "reboot", depends_on = new[] { "one" } } } },
        })).AssertStatus(HttpStatusCode.OK);
        Assert.Equal(2, updated.Data.GetProperty("version").GetInt32());
        Assert.Equal(2, updated.Data.GetProperty("step_count").GetInt32());

        var renamed = (await User.PutJsonAsync($"{Path}/{id}", new { description = "only text" })).AssertStatus(HttpStatusCode.OK);
        Assert.Equal(2, renamed.Data.GetProperty("version").GetInt32());
        Assert.Equal(2, renamed.Data.GetProperty("step_count").GetInt32());

        var first = (await fixture.Client(Role.Viewer).GetApiAsync($"{Path}/{id}/versions/1")).AssertStatus(HttpStatusCode.OK);
        Assert.Equal(1, first.Data.GetProperty("definition").GetProperty("steps").GetArrayLength());
        var versions = (await fixture.Client(Role.Viewer).GetApiAsync($"{Path}/{id}/versions")).AssertStatus(HttpStatusCode.OK);
        Assert.Equal(2, versions.Data.GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task Delete_BuiltinWorkflow_IsRefused_UserWorkflowIsDeleted()
    {
        var builtin = (await fixture.Client(Role.Viewer).GetApiAsync(Path + "?is_builtin=true")).Data.GetProperty("workflows")[0].GetProperty("id").GetInt64();
        (await fixture.Client(Role.Admin).DeleteApiAsync($"{Path}/{builtin}")).AssertError(HttpStatusCode.Forbidden);

        var created = (await User.PostJsonAsync(Path, new { name = Unique("Doomed"), definition = new { steps = new[] { new { id = "w", name = "W", type = "wait", seconds = 1 } } } }))
            .AssertStatus(HttpStatusCode.Created);
        var id = created.Data.GetProperty("id").GetInt64();
        (await fixture.Client(Role.Admin).DeleteApiAsync($"{Path}/{id}")).AssertStatus(HttpStatusCode.OK);
        (await fixture.Client(Role.Viewer).GetApiAsync($"{Path}/{id}")).AssertError(HttpStatusCode.NotFound);
    }

    private async Task<(long PlaybookId, long ScriptId)> BuiltinIdsAsync()
    {
        var playbooks = (await fixture.Client(Role.Viewer).GetApiAsync("/api/v1/automation/ansible/playbooks?is_builtin=true")).Data.GetProperty("playbooks");
        var scripts = (await fixture.Client(Role.Viewer).GetApiAsync("/api/v1/automation/scripts?is_builtin=true")).Data.GetProperty("scripts");
        return (playbooks[0].GetProperty("id").GetInt64(), Find(scripts, "性能快照"));
    }

    private static long Find(JsonElement items, string name) =>
        items.EnumerateArray().Single(i => i.GetProperty("name").GetString() == name).GetProperty("id").GetInt64();

    private static string Unique(string prefix) => prefix + " " + Guid.NewGuid().ToString("N")[..8];
}
