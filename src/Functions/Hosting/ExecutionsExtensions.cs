using NodeOps.Executions;
using NodeOps.Functions.Apis;

namespace NodeOps.Functions.Hosting;

/// <summary>The execution engine in the host: its services, its background services, and its API groups.</summary>
internal static class ExecutionsExtensions
{
    public static WebApplicationBuilder AddExecutions(this WebApplicationBuilder builder)
    {
        builder.Services.AddExecutions(builder.Configuration);
        builder.Services.AddSingleton<ExecutionStarter>();
        builder.Services.AddHostedService<RetentionHostedService>();
        builder.Services.AddHostedService<ProgressPollerHostedService>();
        builder.Services.AddHostedService<SshPoolHostedService>();
        return builder;
    }

    public static WebApplication MapExecutionApis(this WebApplication app)
    {
        app.MapSshApi();
        app.MapScriptRunsApi();
        app.MapProgressApi();
        return app;
    }
}
