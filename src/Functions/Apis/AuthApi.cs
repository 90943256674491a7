using System.Text.Json.Serialization;
using Microsoft.Extensions.Options;
using NodeOps.Auth;
using NodeOps.Errors;
using NodeOps.Functions.Http;
using NodeOps.Functions.Security;

namespace NodeOps.Functions.Apis;

/// <summary>Login, the caller's own account, and password changes.</summary>
internal static class AuthApi
{
    public static RouteGroupBuilder MapAuthApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/v1/auth").WithTags("Auth");
        group.MapPost("/login", LoginAsync).AllowAnonymous();
        group.MapGet("/me", Me).RequireRole(Role.Viewer);
        group.MapPut("/password", ChangePasswordAsync).RequireRole(Role.Viewer);
        return group;
    }

    private static async Task<IResult> LoginAsync(
        LoginRequest request, HttpContext http, UserService users, TokenService tokens, LoginRateLimiter limiter, PasswordHashGate hashGate,
        IOptions<AuthOptions> options, TimeProvider time)
    {
        if (string.IsNullOrEmpty(request.Username))
        {
            throw NodeOpsException.BadRequest("username", "用户名不能为空");
        }

        if (string.IsNullOrEmpty(request.Password))
        {
            throw NodeOpsException.BadRequest("password", "密码不能为空");
        }

        // A flood is mostly refusals: they are returned, not thrown, and a full hash gate refuses before any store read.
        if (hashGate.IsFull)
        {
            return await RefuseAsync(PasswordHashGate.Busy(), options.Value.LoginRefusalDelay, time, http.RequestAborted);
        }

        var client = LoginClient.Of(http.Connection.RemoteIpAddress);
        if (await limiter.RetryAfterSecondsAsync(client, request.Username, http.RequestAborted) is { } wait)
        {
            return await RefuseAsync(
                new NodeOpsException(ErrorKind.TooManyRequests, $"登录失败次数过多，请 {wait} 秒后再试") { RetryAfterSeconds = wait },
                options.Value.LoginRefusalDelay, time, http.RequestAborted);
        }

        var account = await users.VerifyAsync(request.Username, request.Password, http.RequestAborted);
        if (account is null)
        {
            await limiter.RecordFailureAsync(client, request.Username, http.RequestAborted);
            throw new NodeOpsException(ErrorKind.Unauthorized, "用户名或密码错误");
        }

        await limiter.ResetAsync(client, request.Username, http.RequestAborted);
        var (token, expiresAt) = tokens.Issue(account);
        return Envelope.Ok(new LoginResult(token, expiresAt, new UserSummary(account.Id, account.Username, account.Role)), "登录成功");
    }

    /// <summary>A refusal answered after a pause, so a flood slows down to the pace of its connections (see AuthOptions).</summary>
    private static async Task<IResult> RefuseAsync(NodeOpsException refusal, TimeSpan delay, TimeProvider time, CancellationToken requestAborted)
    {
        try
        {
            await Task.Delay(delay, time, requestAborted);
        }
        catch (OperationCanceledException)
        {
            // The client left; the answer goes nowhere.
        }

        return new ErrorResult(refusal);
    }

    private static IResult Me(HttpContext http)
    {
        var actor = http.GetActor();
        return Envelope.Ok(new UserSummary(actor.UserId, actor.Username, actor.Role));
    }

    private static async Task<IResult> ChangePasswordAsync(ChangePasswordRequest request, HttpContext http, UserService users, UserDirectory directory)
    {
        var actor = http.GetActor();
        if (actor.ApiKeyId is not null)
        {
            throw NodeOpsException.Forbidden("API Key 没有可修改的密码");
        }

        await users.ChangePasswordAsync(actor.UserId, request.CurrentPassword, request.NewPassword, http.RequestAborted);
        directory.Invalidate(actor.UserId);
        return Envelope.Ok("密码已修改");
    }

    [JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
    internal sealed record LoginRequest(string Username, string Password);

    [JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
    internal sealed record ChangePasswordRequest(string CurrentPassword, string NewPassword);

    internal sealed record UserSummary(long Id, string Username, Role Role);

    internal sealed record LoginResult(string Token, DateTimeOffset ExpiresAt, UserSummary User);
}
