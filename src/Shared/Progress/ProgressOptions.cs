namespace NodeOps.Progress;

/// <summary>Bound from the "Progress" section.</summary>
public sealed class ProgressOptions
{
    public const string Section = "Progress";

    /// <summary>How often the store is read for subscribed tasks that this instance hears nothing about.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Subscriptions one connection may hold.</summary>
    public int MaxSubscriptionsPerConnection { get; set; } = 100;

    /// <summary>Must-deliver events (snapshots, completions) queued for one connection before it is dropped as dead.</summary>
    public int MaxQueuedPerConnection { get; set; } = 1000;
}
