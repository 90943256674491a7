using NodeOps.Catalog;
using NodeOps.Clusters;
using NodeOps.Credentials;
using NodeOps.Executions.Kinds;
using NodeOps.Functions.Apis;

namespace NodeOps.Functions.Hosting;

/// <summary>Builds the whole application; Program runs it, and tests host it on a free port.</summary>
public static class NodeOpsApp
{
    /// <param name="args">Command-line settings ("--Section:Key=value").</param>
    /// <param name="configureServices">Lets a test replace a service; runs after every capability registered its own.</param>
    public static WebApplication Create(string[] args, Action<IServiceCollection>? configureServices = null)
    {
        var builder = WebApplication.CreateBuilder(McpExtensions.ExpandMcpClientFlag(args));
        builder.AddFoundation();
        builder.Services.AddCatalog();
        builder.Services.AddClusters();
        builder.Services.AddCredentials();
        builder.AddExecutions();
        builder.Services.AddAnsibleRuns();
        builder.AddSchedules();
        builder.AddAssistant();
        builder.AddMcpServer();
        configureServices?.Invoke(builder.Services);

        var app = builder.Build();
        app.UseFoundation();
        app.MapAuthApi();
        app.MapUsersApi();
        app.MapApiKeysApi();
        app.MapFeaturesApi();
        app.MapPlaybooksApi();
        app.MapScriptsApi();
        app.MapWorkflowsApi();
        app.MapClustersApi();
        app.MapCredentialsApi();
        app.MapExecutionApis();
        app.MapAnsibleRunsApi();
        app.MapSchedules();
        app.MapAssistantApi();
        app.MapMcpServer();
        return app;
    }
}
