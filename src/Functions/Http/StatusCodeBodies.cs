namespace NodeOps.Functions.Http;

/// <summary>Gives bodiless 4xx answers from routing (unknown route, wrong method) the surface's error shape.</summary>
internal static class StatusCodeBodies
{
    public static IApplicationBuilder UseStatusCodeBodies(this IApplicationBuilder app) =>
        app.UseStatusCodePages(context =>
        {
            var http = context.HttpContext;
            var detail = http.Response.StatusCode switch
            {
                404 => $"路由不存在: {http.Request.Method} {http.Request.Path}",
                405 => $"方法 {http.Request.Method} 不适用于 {http.Request.Path}",
                415 => "Content-Type 必须是 application/json",
                _ => "请求无法处理",
            };
            return ErrorWriter.WriteAsync(http, new ApiError(http.Response.StatusCode, detail));
        });
}
