using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using NodeOps.Hosting;
using NodeOps.Orchestration;

namespace NodeOps.OrchestrationTestHost.Contract;

public static class ContractServices
{
    /// <summary>The orchestration runtime with the contract's orchestrations, composed from settings as the app composes it.</summary>
    public static ServiceProvider Build(IReadOnlyDictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddSingleton<ILoggerFactory>(NullLoggerFactory.Instance);
        services.AddSingleton(new DataFolder(configuration["Host:DataPath"] ?? Directory.GetCurrentDirectory()));
        services.AddNodeOpsOrchestration(configuration, ContractRegistry.Register);
        return services.BuildServiceProvider();
    }
}
