namespace NodeOps.Progress;

/// <summary>The values of <see cref="ProgressEvent.Type"/>.</summary>
public static class ProgressEventTypes
{
    /// <summary>The task's state when a subscriber joins; always the first event a subscription sees.</summary>
    public const string Snapshot = "snapshot";

    /// <summary>The task started running.</summary>
    public const string Start = "start";

    /// <summary>A node or step changed state; intermediate, may be coalesced for slow clients.</summary>
    public const string Progress = "progress";

    /// <summary>The task reached a final status; never dropped.</summary>
    public const string Complete = "complete";

    /// <summary>Replies on the WebSocket: an unknown task, a bad request, an unsubscribe, a pong.</summary>
    public const string Error = "error";

    public const string Unsubscribed = "unsubscribed";

    public const string Pong = "pong";

    /// <summary>Intermediate events a slow client may see fewer of; every other type is always delivered.</summary>
    public static bool IsCoalescable(string type) => type is Start or Progress;
}
