using Microsoft.AspNetCore.OpenApi;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using NodeOps.Functions.Security;
using NodeOps.Functions.SignalR;
using NodeOps.Progress;

namespace NodeOps.Functions.Hosting;

/// <summary>
/// Live progress over SignalR, chosen by configuration: the in-process hub (default), the same hub scaled out
/// through Azure SignalR Service (SignalR:ConnectionString), or serverless mode (SignalR:Mode=Serverless with the
/// connection string): negotiate, upstream and a REST publisher, no hub in this process. Without a connection
/// string nothing of Azure is touched.
/// </summary>
internal static class ProgressHubExtensions
{
    /// <summary>Runs after the execution engine registered its progress bus, whose publisher serverless mode wraps.</summary>
    public static WebApplicationBuilder AddProgressHub(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        var options = builder.Configuration.GetSection(SignalROptions.Section).Get<SignalROptions>() ?? new SignalROptions();
        services.AddOptions<SignalROptions>().BindConfiguration(SignalROptions.Section)
            .Validate(o => o.ClientTokenLifetime > TimeSpan.Zero, "SignalR:ClientTokenLifetime must be positive.")
            .Validate(o => o.PublishBatchSize >= 1 && o.MaxAttempts >= 1, "SignalR:PublishBatchSize and SignalR:MaxAttempts must be at least 1.")
            .Validate(o => o.RetryDelay > TimeSpan.Zero, "SignalR:RetryDelay must be positive.")
            .ValidateOnStart();

        if (options.Serverless)
        {
            services.AddSingleton(ServiceEndpoint(options));
            services.AddSingleton<SignalRServiceTokens>();
            services.AddSingleton(sp => new SignalRRestClient(
                // One long-lived client whose pooled connections are renewed, so a changed service address is followed.
                new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) }) { Timeout = TimeSpan.FromSeconds(30) },
                sp.GetRequiredService<SignalRServiceEndpoint>(),
                sp.GetRequiredService<SignalRServiceTokens>(),
                sp.GetRequiredService<IOptions<SignalROptions>>(),
                sp.GetRequiredService<TimeProvider>(),
                sp.GetRequiredService<ILogger<SignalRRestClient>>()));
            services.AddSingleton<ServerlessProgressPublisher>();
            services.AddHostedService(sp => sp.GetRequiredService<ServerlessProgressPublisher>());
            services.Replace(ServiceDescriptor.Singleton<IProgressPublisher>(sp => sp.GetRequiredService<ServerlessProgressPublisher>()));
            return builder;
        }

        var signalR = services.AddSignalR();
        services.AddSingleton<HubProgressConnections>();
        services.Configure<OpenApiOptions>("v1", o => o.AddDocumentTransformer<ProgressHubOpenApi>());
        if (!string.IsNullOrWhiteSpace(options.ConnectionString))
        {
            signalR.AddAzureSignalR(options.ConnectionString);
        }

        return builder;
    }

    public static WebApplication MapProgressHub(this WebApplication app)
    {
        if (app.Services.GetRequiredService<IOptions<SignalROptions>>().Value.Serverless)
        {
            app.MapServerlessProgressEndpoints();
        }
        else
        {
            app.MapHub<ProgressHub>(SignalROptions.HubPath).RequireRole(ProgressAccess.MinimumRole);
        }

        return app;
    }

    private static SignalRServiceEndpoint ServiceEndpoint(SignalROptions options)
    {
        try
        {
            return SignalRServiceEndpoint.Parse(options.ConnectionString
                ?? throw new FormatException("SignalR:Mode=Serverless needs SignalR:ConnectionString (Endpoint=…;AccessKey=…)."));
        }
        catch (FormatException ex)
        {
            throw new OptionsValidationException(SignalROptions.Section, typeof(SignalROptions), [ex.Message]);
        }
    }
}
