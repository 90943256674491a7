using Microsoft.Extensions.DependencyInjection;
using NodeOps.Orchestration;
using NodeOps.OrchestrationTestHost.Contract;

namespace NodeOps.OrchestrationTestHost;

/// <summary>
/// Runs an orchestration worker with the contract suite's orchestrations until its standard input closes (or it is
/// killed). Settings come from NODEOPS_TEST_* environment variables (Section__Key), never from the command line, so
/// a connection string is not visible in the process list. Prints "ready" once the worker takes work.
/// </summary>
public static class Program
{
    public const string EnvironmentPrefix = "NODEOPS_TEST_";
    public const string ReadyLine = "ready";

    public static async Task<int> Main()
    {
        var settings = Environment.GetEnvironmentVariables().Keys.Cast<string>()
            .Where(name => name.StartsWith(EnvironmentPrefix, StringComparison.Ordinal))
            .ToDictionary(name => name[EnvironmentPrefix.Length..].Replace("__", ":", StringComparison.Ordinal), Environment.GetEnvironmentVariable);
        await using var provider = ContractServices.Build(settings);
        var runtime = provider.GetRequiredService<OrchestrationRuntime>();
        await runtime.StartAsync(CancellationToken.None);
        Console.WriteLine(ReadyLine);
        await Console.In.ReadToEndAsync();
        await runtime.StopAsync(CancellationToken.None);
        return 0;
    }
}
