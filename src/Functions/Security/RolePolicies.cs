using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using NodeOps.Auth;
using NodeOps.Functions.Http;

namespace NodeOps.Functions.Security;

/// <summary>One policy per role; a role satisfies the policies of every role below it.</summary>
internal static class RolePolicies
{
    public const string Viewer = "role:viewer";
    public const string User = "role:user";
    public const string Admin = "role:admin";

    public static AuthorizationBuilder AddRolePolicies(this AuthorizationBuilder builder) => builder
        .AddPolicy(Viewer, p => p.AddRequirements(new MinimumRole(Role.Viewer)))
        .AddPolicy(User, p => p.AddRequirements(new MinimumRole(Role.User)))
        .AddPolicy(Admin, p => p.AddRequirements(new MinimumRole(Role.Admin)));

    public static TBuilder RequireRole<TBuilder>(this TBuilder builder, Role role)
        where TBuilder : IEndpointConventionBuilder =>
        builder.RequireAuthorization(role switch
        {
            Role.Admin => Admin,
            Role.User => User,
            _ => Viewer,
        });
}

internal sealed record MinimumRole(Role Role) : IAuthorizationRequirement;

internal sealed class MinimumRoleHandler : AuthorizationHandler<MinimumRole>
{
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, MinimumRole requirement)
    {
        if (NodeOpsClaims.ToActor(context.User) is { } actor && actor.IsAtLeast(requirement.Role))
        {
            context.Succeed(requirement);
        }

        return Task.CompletedTask;
    }
}

/// <summary>Says which role was needed, in the spec's words ("需要 admin 权限才能执行此操作").</summary>
internal sealed class RoleAwareResultHandler : IAuthorizationMiddlewareResultHandler
{
    private readonly AuthorizationMiddlewareResultHandler _default = new();

    public Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        if (authorizeResult.Forbidden)
        {
            var needed = authorizeResult.AuthorizationFailure?.FailedRequirements.OfType<MinimumRole>().FirstOrDefault();
            var detail = needed is null ? "权限不足" : $"需要 {needed.Role.ToString().ToLowerInvariant()} 权限才能执行此操作";
            return ErrorWriter.WriteAsync(context, new ApiError(403, detail, Code: "FORBIDDEN"));
        }

        return _default.HandleAsync(next, context, policy, authorizeResult);
    }
}
