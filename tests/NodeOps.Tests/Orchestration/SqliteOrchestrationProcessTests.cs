namespace NodeOps.Tests.Orchestration;

/// <summary>Crash-and-restart and two workers on one SQLite file.</summary>
public sealed class SqliteOrchestrationProcessTests : OrchestrationProcessContract
{
    protected override Dictionary<string, string?> NewStore() => OrchestrationStores.Sqlite(Folder);
}
