using System.Net;
using NodeOps.Assistant;
using NodeOps.Assistant.CustomTools;
using NodeOps.Auth;
using NodeOps.Tests.TestBed;

namespace NodeOps.Tests.Assistant.CustomTools;

/// <summary>Custom tools: typed parameters checked, each filling its own argument slot, run for real in the sandbox.</summary>
public sealed class CustomToolTests : IAsyncLifetime
{
    private static readonly Dictionary<string, string?> Tools = new()
    {
        ["Assistant:Tools:Custom:show-arg:Description"] = "Prints its argument.",
        ["Assistant:Tools:Custom:show-arg:ReadOnly"] = "true",
        ["Assistant:Tools:Custom:show-arg:Command:0"] = "/bin/echo",
        ["Assistant:Tools:Custom:show-arg:Command:1"] = "{text}",
        ["Assistant:Tools:Custom:show-arg:Parameters:text:Type"] = "string",
        ["Assistant:Tools:Custom:count:Description"] = "Counts to n.",
        ["Assistant:Tools:Custom:count:ReadOnly"] = "true",
        ["Assistant:Tools:Custom:count:Command:0"] = "/usr/bin/seq",
        ["Assistant:Tools:Custom:count:Command:1"] = "{n}",
        ["Assistant:Tools:Custom:count:Parameters:n:Type"] = "integer",
        ["Assistant:Tools:Custom:count:Parameters:n:Minimum"] = "1",
        ["Assistant:Tools:Custom:count:Parameters:n:Maximum"] = "5",
        ["Assistant:Tools:Custom:restart:Description"] = "Restarts a service (a write).",
        ["Assistant:Tools:Custom:restart:Command:0"] = "/bin/echo",
        ["Assistant:Tools:Custom:restart:Command:1"] = "restart",
        ["Assistant:Tools:Custom:restart:Command:2"] = "{service}",
        ["Assistant:Tools:Custom:restart:Parameters:service:Type"] = "enum",
        ["Assistant:Tools:Custom:restart:Parameters:service:Values:0"] = "kubelet",
        ["Assistant:Tools:Custom:restart:Parameters:service:Values:1"] = "containerd",
    };

    private AssistantTestBed _bed = null!;

    public async Task InitializeAsync() => _bed = await AssistantTestBed.StartAsync(Tools);

    public async Task DisposeAsync() => await _bed.DisposeAsync();

    [Fact]
    public async Task ShellMetacharacters_ArriveLiterally_AsOneArgument()
    {
        var marker = Path.Combine(Path.GetTempPath(), "nodeops-pwned-" + Guid.NewGuid().ToString("N"));
        var text = $"$(touch {marker}); `id` | cat > {marker} && echo '*' \"$HOME\"";
        _bed.Llm.Enqueue(FakeLlmResponse.Call("show-arg", new { text }), FakeLlmResponse.Reply("done"));
        using var viewer = await _bed.Host.ClientAsync(Role.Viewer);

        var (_, frames) = await SseFrames.PostAsync(viewer, "/api/v1/chat/stream", new { query = "echo", session_id = "custom-literal" });

        Assert.Equal(0, frames.Single(f => f.Type() == "tool_result").GetProperty("exit_code").GetInt32());
        var tool = _bed.Llm.ChatRequests[^1].Messages.Single(m => m!["role"]!.GetValue<string>() == "tool")!["content"]!.GetValue<string>();
        Assert.Equal(text + "\n", tool);
        Assert.False(File.Exists(marker));
    }

    [Fact]
    public async Task BadParameters_AreRefusedNamingTheRule_AndWritesAreRefusedInReadOnlyMode()
    {
        _bed.Llm.Enqueue(
            FakeLlmResponse.Call("count", new { n = 9 }),
            FakeLlmResponse.Call("count", new { n = 3, extra = "x" }),
            FakeLlmResponse.Call("restart", new { service = "sshd" }),
            FakeLlmResponse.Call("restart", new { service = "kubelet" }),
            FakeLlmResponse.Call("count", new { n = 3 }),
            FakeLlmResponse.Reply("done"));
        using var viewer = await _bed.Host.ClientAsync(Role.Viewer);

        var (_, frames) = await SseFrames.PostAsync(viewer, "/api/v1/chat/stream", new { query = "count", session_id = "custom-bad" });

        var reasons = frames.Where(f => f.Type() == "tool_refused").Select(f => f.GetProperty("reason").GetString()!).ToList();
        Assert.Equal(4, reasons.Count);
        Assert.Contains("参数 n 必须在 1 到 5 之间", reasons[0], StringComparison.Ordinal);
        Assert.Contains("未知参数 extra", reasons[1], StringComparison.Ordinal);
        Assert.Contains("kubelet, containerd", reasons[2], StringComparison.Ordinal);
        Assert.Contains("只读", reasons[3], StringComparison.Ordinal);
        var tool = _bed.Llm.ChatRequests[^1].Messages.Where(m => m!["role"]!.GetValue<string>() == "tool").Last()!["content"]!.GetValue<string>();
        Assert.Equal("1\n2\n3\n", tool);
    }

    [Fact]
    public async Task Status_CountsCustomTools_AndTheModelIsOfferedTheirSchemas()
    {
        using var viewer = await _bed.Host.ClientAsync(Role.Viewer);
        _bed.Llm.Enqueue(FakeLlmResponse.Reply("hi"));
        (await viewer.PostJsonAsync("/api/v1/chat", new { query = "hi", session_id = "custom-schema" })).AssertStatus(HttpStatusCode.OK);

        var status = await viewer.GetApiAsync("/api/v1/status");

        Assert.Equal(3, status.Json.GetProperty("components").GetProperty("tools").GetProperty("custom_tools").GetInt32());
        var count = _bed.Llm.ChatRequests[0].Body["tools"]!.AsArray().Single(t => t!["function"]!["name"]!.GetValue<string>() == "count")!["function"]!["parameters"]!;
        Assert.Equal("integer", count["properties"]!["n"]!["type"]!.GetValue<string>());
        Assert.Equal(5, count["properties"]!["n"]!["maximum"]!.GetValue<long>());
        var restart = _bed.Llm.ChatRequests[0].Body["tools"]!.AsArray().Single(t => t!["function"]!["name"]!.GetValue<string>() == "restart")!["function"]!["parameters"]!;
        Assert.Equal(["kubelet", "containerd"], restart["properties"]!["service"]!["enum"]!.AsArray().Select(v => v!.GetValue<string>()));
    }

    [Fact]
    public void StartUp_RefusesTextSubstitution_UnknownTypes_UnusedParameters_AndRelativePrograms()
    {
        var options = new AssistantOptions();
        options.Tools.Custom["bad"] = new CustomToolOptions
        {
            Description = "x",
            Command = ["echo", "--name={name}", "{missing}"],
            Parameters = { ["name"] = new CustomToolParameterOptions { Type = "float" } },
        };

        var result = new CustomToolRules().Validate(null, options);

        Assert.True(result.Failed);
        var failures = result.Failures!.ToList();
        Assert.Contains(failures, f => f.Contains("Assistant:Tools:Custom:bad:Command must be a list whose first item is the program's absolute path", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.Contains("'--name={name}': a parameter fills a whole argument", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.Contains("slot {missing} but no parameter missing", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.Contains("Parameters:name:Type must be one of: string, integer, enum", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.Contains("Parameters:name has no slot {name}", StringComparison.Ordinal));
    }
}
