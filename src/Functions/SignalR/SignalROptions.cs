namespace NodeOps.Functions.SignalR;

/// <summary>Bound from the "SignalR" section; see the README's "Live progress over SignalR".</summary>
internal sealed class SignalROptions
{
    public const string Section = "SignalR";

    /// <summary>The one hub; Azure SignalR Service hub names are case-insensitive and sent lower-case.</summary>
    public const string HubName = "progress";

    public const string HubPath = "/api/v1/hubs/progress";

    /// <summary>Azure SignalR Service ("Endpoint=https://…;AccessKey=…;Version=1.0;"); empty keeps everything in-process.</summary>
    public string? ConnectionString { get; set; }

    /// <summary><c>Default</c>: the hub runs here (scaled out through the service when a connection string is set). <c>Serverless</c>: clients connect to the service, this app answers negotiate and upstream calls and publishes over REST.</summary>
    public SignalRMode Mode { get; set; } = SignalRMode.Default;

    /// <summary>How long a client access token minted by negotiate is valid (serverless).</summary>
    public TimeSpan ClientTokenLifetime { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Events one publishing pass sends at most, in parallel per task (serverless).</summary>
    public int PublishBatchSize { get; set; } = 64;

    /// <summary>Tries per REST call before an event is given up (serverless); 429, 5xx and network errors are retried.</summary>
    public int MaxAttempts { get; set; } = 4;

    /// <summary>First pause between tries; doubled each time.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromMilliseconds(200);

    public bool Serverless => Mode == SignalRMode.Serverless;
}

internal enum SignalRMode
{
    Default,
    Serverless,
}
