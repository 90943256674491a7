using System.Net;
using System.Text.Json;
using NodeOps.Tests.TestBed;

namespace NodeOps.Tests.Workflows;

/// <summary>
/// Kills the NodeOps process in the middle of a rolling workflow run (its first batch waiting on a durable timer),
/// starts another on the same data folder, and checks that the run continues where it was: it completes, every node
/// goes through every step, and no step runs twice on a node.
/// </summary>
[Collection(SshNodesCollection.Name)]
public sealed class WorkflowCrashRecoveryTests(SshNodes nodes) : IDisposable
{
    private readonly CrashTestBed _bed = new("workflow-crash");

    [Fact]
    public async Task KilledDuringAWorkflow_RestartedInstanceContinuesIt_NoNodeStepRunsTwice()
    {
        var token = Guid.NewGuid().ToString("N")[..10];
        var targets = nodes.Sshd.Nodes.Skip(16).Take(4).ToList();
        FixtureCatalog.For(nodes.Sshd).Save(_bed.CatalogFile);
        var first = await _bed.StartAsync();
        using var client = await first.SignInAsync();
        var created = (await client.PostJsonAsync(WorkflowTestBed.Path, new
        {
            name = "crash-" + token,
            definition = new
            {
                strategy = "rolling",
                batch_size = 2,
                steps = new object[]
                {
                    new { id = "before", name = "before", type = "ssh", command = $"echo before >> \"$NODEOPS_NODE_DIR/{token}-before\"" },
                    new { id = "pause", name = "pause", type = "wait", seconds = 6, depends_on = new[] { "before" } },
                    new { id = "after", name = "after", type = "ssh", command = $"echo after >> \"$NODEOPS_NODE_DIR/{token}-after\"", depends_on = new[] { "pause" } },
                },
            },
        })).AssertStatus(HttpStatusCode.Created);
        var taskId = (await client.PostJsonAsync(WorkflowTestBed.Path + "/execute", new
        {
            workflow_id = created.Data.GetProperty("id").GetInt64(),
            cluster_name = "test",
            target_nodes = targets.Select(n => n.Name).ToArray(),
            credential_id = FixtureCatalog.KeyCredentialId,
        })).AssertStatus(HttpStatusCode.OK).Data.GetProperty("task_id").GetString()!;
        await WaitForAsync(client, taskId, s => WorkflowTestBed.Step(s, "pause").GetProperty("status").GetString() == "running", "the first batch waiting");

        first.Kill();
        var second = await _bed.StartAsync();
        using var again = await second.SignInAsync();
        var status = await WaitForAsync(again, taskId, s => s.GetProperty("status").GetString() is "completed" or "failed" or "cancelled", "a final status");

        Assert.True(status.GetProperty("status").GetString() == "completed", status.ToString());
        foreach (var node in targets)
        {
            Assert.Equal(1, SshdFixture.CountLines(node, $"{token}-before"));
            Assert.Equal(1, SshdFixture.CountLines(node, $"{token}-after"));
        }

        Assert.Equal(4, status.GetProperty("success_count").GetInt32());
    }

    public void Dispose() => _bed.Dispose();

    private static Task<JsonElement> WaitForAsync(HttpClient client, string taskId, Func<JsonElement, bool> condition, string what) =>
        WorkflowTestBed.WaitForAsync(client, taskId, condition, TimeSpan.FromSeconds(120), what);
}
