namespace NodeOps.Functions.Hosting;

/// <summary>Bound from the "Host" section.</summary>
internal sealed class NodeOpsHostOptions
{
    public const string Section = "Host";

    /// <summary>
    /// Where the standalone server listens when nothing stronger is set: Kestrel:Endpoints and --urls /
    /// ASPNETCORE_URLS each win over it (<see cref="ListenAddress"/>).
    /// </summary>
    public string Url { get; set; } = "http://127.0.0.1:8080";

    /// <summary>The data folder: embedded database and generated keys.</summary>
    public string DataPath { get; set; } = ".nodeops-data";

    /// <summary>Largest request body accepted; a script may be 1 MiB, and JSON escaping can double it.</summary>
    public long MaxRequestBodyBytes { get; set; } = 4 * 1024 * 1024;
}
