using NodeOps.Features;

namespace NodeOps.Functions.Http;

/// <summary>The guard automation endpoints use: the request is refused with 403 "功能未启用" while a switch is off.</summary>
internal static class FeatureGate
{
    public static TBuilder RequireFeature<TBuilder>(this TBuilder builder, Capability capability)
        where TBuilder : IEndpointConventionBuilder =>
        builder.AddEndpointFilter(async (context, next) =>
        {
            var features = context.HttpContext.RequestServices.GetRequiredService<FeatureService>();
            await features.EnsureEnabledAsync(capability, context.HttpContext.RequestAborted);
            return await next(context);
        });
}
