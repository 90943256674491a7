namespace NodeOps.Functions.Http;

/// <summary>Puts <see cref="RequestMetrics"/> in front of the whole pipeline, so every request is counted, errors included.</summary>
internal sealed class RequestMetricsStartupFilter(RequestMetrics metrics) : IStartupFilter
{
    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.Use((context, nextStep) => metrics.InvokeAsync(context, nextStep));
        next(app);
    };
}
