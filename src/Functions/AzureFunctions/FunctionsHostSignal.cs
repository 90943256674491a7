namespace NodeOps.Functions.AzureFunctions;

/// <summary>
/// Tells whether the Azure Functions host started this process. The signal is the host's gRPC endpoint
/// (Functions:Worker:HostEndpoint, which the host passes as --functions-uri), not FUNCTIONS_WORKER_RUNTIME or
/// AZURE_FUNCTIONS_ENVIRONMENT: those are app settings, so they are also in the environment of anything else run on
/// the same app (a console, the admin command) or copied from local.settings.json into a shell, while the endpoint
/// exists only when the host launched this worker, and the worker cannot run without it anyway.
/// </summary>
internal static class FunctionsHostSignal
{
    public const string HostEndpointKey = "Functions:Worker:HostEndpoint";
    public const string HostEndpointArgument = "--functions-uri";

    public static bool StartedByFunctionsHost(string[] args, IDictionary<string, string?>? environment = null)
    {
        ArgumentNullException.ThrowIfNull(args);
        if (args.Any(a => a == HostEndpointArgument || a.StartsWith(HostEndpointArgument + "=", StringComparison.Ordinal)))
        {
            return true;
        }

        var variable = HostEndpointKey.Replace(":", "__", StringComparison.Ordinal);
        var value = environment is null ? Environment.GetEnvironmentVariable(variable) : environment.TryGetValue(variable, out var v) ? v : null;
        return !string.IsNullOrEmpty(value);
    }
}
