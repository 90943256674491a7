using NodeOps.Assistant;
using NodeOps.Functions.Apis;
using NodeOps.Functions.Http;

namespace NodeOps.Functions.Hosting;

/// <summary>The assistant capability: its services, the request metrics /status reports, and its routes.</summary>
internal static class AssistantExtensions
{
    public static WebApplicationBuilder AddAssistant(this WebApplicationBuilder builder)
    {
        var bashEnabled = builder.Configuration.GetValue<bool>($"{AssistantOptions.Section}:Tools:BashEnabled");
        builder.Services.AddAssistantCore(bashEnabled);
        builder.Services.AddSingleton<RequestMetrics>();
        builder.Services.AddTransient<IStartupFilter, RequestMetricsStartupFilter>();
        return builder;
    }

    public static WebApplication MapAssistantApi(this WebApplication app)
    {
        // Fail at start-up, with the message, when the provider configuration is wrong; and start the uptime clock.
        app.Services.ValidateAssistant();
        _ = app.Services.GetRequiredService<AssistantMetrics>();
        app.MapChatApi();
        app.MapAssistantInfoApi();
        return app;
    }
}
