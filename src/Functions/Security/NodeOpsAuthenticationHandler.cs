using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using NodeOps.Auth;
using NodeOps.Functions.Http;

namespace NodeOps.Functions.Security;

/// <summary>
/// Accepts an X-API-Key, a Bearer token, or (for WebSocket and hub connections, where browsers cannot set headers)
/// a token in the query string. The role always comes from the stored account, so a demotion or a disabled
/// account takes effect on the next request, not when the token expires.
/// </summary>
internal sealed class NodeOpsAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory loggerFactory,
    UrlEncoder encoder,
    TokenService tokens,
    ApiKeyService apiKeys,
    UserDirectory users)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, loggerFactory, encoder)
{
    private const string FailureItem = "nodeops.auth_failure";
    private static readonly string[] QueryTokenPaths = ["/api/v1/progress", "/api/v1/hubs/progress"];

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var apiKey = Request.Headers["X-API-Key"].ToString();
        if (apiKey.Length > 0)
        {
            var record = await apiKeys.VerifyAsync(apiKey, Context.RequestAborted);
            if (record is null)
            {
                return Fail("API Key 无效或已撤销");
            }

            return Success(new Actor(0, "apikey:" + record.Name, record.Role, record.Id));
        }

        var token = BearerToken() ?? QueryToken();
        if (token is null)
        {
            Context.Items[FailureItem] = "缺少认证信息，请先登录";
            return AuthenticateResult.NoResult();
        }

        var (userId, failure) = await tokens.ValidateAsync(token);
        if (userId is null)
        {
            return Fail(failure == TokenFailure.Expired ? "Token 已过期，请重新登录" : "Token 无效，请重新登录");
        }

        var account = await users.FindAsync(userId.Value, Context.RequestAborted);
        if (account is null || account.Disabled)
        {
            return Fail("账号不存在或已被禁用");
        }

        return Success(new Actor(account.Id, account.Username, account.Role));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var detail = Context.Items.TryGetValue(FailureItem, out var reason) && reason is string text ? text : "缺少认证信息，请先登录";
        return ErrorWriter.WriteAsync(Context, new ApiError(401, detail, Code: "UNAUTHORIZED"));
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        ErrorWriter.WriteAsync(Context, new ApiError(403, "权限不足", Code: "FORBIDDEN"));

    private AuthenticateResult Success(Actor actor) =>
        AuthenticateResult.Success(new AuthenticationTicket(NodeOpsClaims.ToPrincipal(actor), NodeOpsClaims.Scheme));

    private AuthenticateResult Fail(string reason)
    {
        Context.Items[FailureItem] = reason;
        return AuthenticateResult.Fail(reason);
    }

    private string? BearerToken()
    {
        var header = Request.Headers.Authorization.ToString();
        return header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? header["Bearer ".Length..].Trim() : null;
    }

    private string? QueryToken()
    {
        if (!QueryTokenPaths.Any(p => Request.Path.StartsWithSegments(p, StringComparison.OrdinalIgnoreCase)))
        {
            return null;
        }

        var token = Request.Query["token"].ToString();
        if (token.Length == 0)
        {
            token = Request.Query["access_token"].ToString();
        }

        return token.Length > 0 ? token : null;
    }
}
