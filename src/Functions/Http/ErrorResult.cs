using NodeOps.Errors;

namespace NodeOps.Functions.Http;

/// <summary>
/// A domain error returned instead of thrown, for refusals on a hot path (a login flood): a thrown exception costs
/// several times what the refused request does. Same status, headers and shape as the exception handler writes.
/// </summary>
internal sealed class ErrorResult(NodeOpsException error) : IResult
{
    public Task ExecuteAsync(HttpContext httpContext) => ErrorWriter.WriteAsync(httpContext, ApiError.From(error));
}
