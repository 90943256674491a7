namespace NodeOps.Orchestration;

/// <summary>
/// Bound from the "Orchestration" section. The backend follows Storage:Provider: the SQLite store in the data folder
/// by default, DurableTask.AzureStorage (on Storage:ConnectionString) with AzureStorage.
/// </summary>
public sealed class OrchestrationOptions
{
    public const string Section = "Orchestration";

    /// <summary>
    /// The Azure Storage task hub; standalone instances and the Functions app share work by naming the same hub.
    /// Unset, it is Storage:TablePrefix + "nodeops", so deployments that share an account by prefix never share work.
    /// </summary>
    public string TaskHubName { get; set; } = "nodeops";

    /// <summary>The SQLite orchestration store; relative paths are under the data folder.</summary>
    public string SqliteFile { get; set; } = "orchestration.db";

    /// <summary>
    /// How long a process's claim on an instance or activity lasts before a survivor may take the work over (SQLite;
    /// on Azure Storage, the visibility timeout of the messages a worker has taken).
    /// DurableTask.Core renews a claim every 5 s at the most often, so keep it above that.
    /// </summary>
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The longest an idle worker waits before polling storage again.</summary>
    public TimeSpan MaxPollInterval { get; set; } = TimeSpan.FromMilliseconds(250);

    public int MaxConcurrentActivities { get; set; } = 100;

    public int MaxConcurrentOrchestrations { get; set; } = 20;

    /// <summary>Control-queue partitions of the Azure Storage task hub (1–16); fixed once the hub exists.</summary>
    public int PartitionCount { get; set; } = 4;
}
