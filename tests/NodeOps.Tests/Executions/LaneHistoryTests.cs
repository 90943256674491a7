using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using NodeOps.Auth;
using NodeOps.Clusters;
using NodeOps.Executions;
using NodeOps.Tests.TestBed;

namespace NodeOps.Tests.Executions;

/// <summary>
/// A lane is one activity that runs all its nodes, so the execution orchestration's history depends on the lanes,
/// not on the nodes: a 200-node run and a 20-node run over the same lanes leave histories of about the same length
/// (a history that grew per node would hold hundreds of events more).
/// The engine is the real one (service, orchestrator, activities, SQLite store); the kind completes nodes without SSH.
/// </summary>
public sealed class LaneHistoryTests : IAsyncLifetime
{
    private TestHost _host = null!;

    public async Task InitializeAsync() =>
        _host = await TestHost.StartAsync(configureServices: services => services.AddExecutionKind<InstantKind>());

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task TwoHundredNodes_LeaveAsMuchHistoryAsTwenty()
    {
        var small = await RunAsync(20);
        var large = await RunAsync(200);

        // Started, admitted, four lanes scheduled and completed, finalized: a few dozen events at most. The lanes'
        // results may reach the orchestrator in one episode or several, each adding a start and an end marker.
        Assert.InRange(small, 1, 40);
        Assert.InRange(large, 1, 40);
        Assert.True(Math.Abs(large - small) <= 8, $"20 nodes: {small} history events; 200 nodes: {large}");
    }

    /// <summary>Runs an execution over <paramref name="nodes"/> nodes to its end; the length of its orchestration history.</summary>
    private async Task<long> RunAsync(int nodes)
    {
        var service = _host.GetRequiredService<ExecutionService>();
        var execution = await service.SubmitAsync(new ExecutionSubmission(
            InstantKind.Name, "none",
            Enumerable.Range(0, nodes).Select(i => new ResolvedNode($"n{i}", "127.0.0.1", 22, new Dictionary<string, string>())).ToList(),
            0, 60, nodes, new { }, [], new Actor(1, "admin", Role.Admin)));
        var finished = await Eventually.GetAsync(async () => await _host.GetRequiredService<ExecutionStore>().GetAsync(execution.TaskId) is { IsFinished: true } done ? done : null,
            TimeSpan.FromMinutes(2), "the execution finishing");
        Assert.Equal(ExecutionStatus.Completed, finished.Status);
        Assert.Equal(nodes, finished.Counts!.Success);

        var orchestration = await _host.GetRequiredService<NodeOps.Orchestration.OrchestrationRuntime>().Client
            .WaitForCompletionAsync(execution.TaskId, TimeSpan.FromMinutes(1), CancellationToken.None);
        Assert.NotNull(orchestration);
        using var connection = new SqliteConnection($"Data Source={Path.Combine(_host.DataPath, "orchestration.db")};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM dt_history WHERE instance_id = $id";
        command.Parameters.AddWithValue("$id", execution.TaskId);
        return (long)command.ExecuteScalar()!;
    }

    /// <summary>A kind whose lanes claim every pending node they reach and record it as succeeded at once.</summary>
    private sealed class InstantKind : IExecutionHandler
    {
        public const string Name = "instant";

        public string Kind => Name;

        public IReadOnlyList<string> PlanLanes(ExecutionRecord execution) => ["lane-0", "lane-1", "lane-2", "lane-3"];

        public async Task<LaneOutcome> RunAsync(LaneContext context, CancellationToken cancellationToken = default)
        {
            ArgumentNullException.ThrowIfNull(context);
            foreach (var node in context.Nodes)
            {
                if (await context.TryClaimAsync(node, cancellationToken) is { } claim)
                {
                    await context.CompleteNodeAsync(claim, claim.Record with { Status = NodeStatus.Success, ExitCode = 0, EndedAt = context.Time.GetUtcNow() }, "", "", cancellationToken);
                }
            }

            return LaneOutcome.Done;
        }
    }
}
