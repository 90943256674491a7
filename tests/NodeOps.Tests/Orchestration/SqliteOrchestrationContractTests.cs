namespace NodeOps.Tests.Orchestration;

/// <summary>The orchestration contract on NodeOps' SQLite backend, a new file per test.</summary>
public sealed class SqliteOrchestrationContractTests : OrchestrationContract
{
    protected override Dictionary<string, string?> NewStore() => OrchestrationStores.Sqlite(Folder);
}
