using System.Text.Json.Serialization;
using NodeOps.Audit;
using NodeOps.Auth;
using NodeOps.Errors;
using NodeOps.Functions.Http;
using NodeOps.Functions.OpenApi;
using NodeOps.Functions.Security;

namespace NodeOps.Functions.Apis;

/// <summary>Admin management of user accounts.</summary>
internal static class UsersApi
{
    public static RouteGroupBuilder MapUsersApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/v1/users").WithTags("Users").RequireRole(Role.Admin);
        group.MapGet("/", ListAsync).ProducesList<UserView>("users");
        group.MapPost("/", CreateAsync).CreatesData<UserView>();
        group.MapPut("/{id:long}/role", SetRoleAsync).ProducesData<UserView>();
        group.MapPut("/{id:long}/disabled", SetDisabledAsync).ProducesData<UserView>();
        return group;
    }

    private static async Task<IResult> ListAsync(UserService users, CancellationToken cancellationToken)
    {
        var list = await users.ListAsync(cancellationToken);
        return Envelope.Ok(new { total = list.Count, users = list.Select(UserView.From) });
    }

    private static async Task<IResult> CreateAsync(CreateUserRequest request, HttpContext http, UserService users, AuditLog audit)
    {
        var account = await users.CreateAsync(request.Username, request.Password, request.Role, http.RequestAborted);
        await audit.RecordAsync("users", "create", http.GetActor().DisplayName, $"{account.Username} ({account.Role})", http.RequestAborted);
        return Envelope.Created(UserView.From(account));
    }

    private static async Task<IResult> SetRoleAsync(long id, SetRoleRequest request, HttpContext http, UserService users, UserDirectory directory, AuditLog audit)
    {
        var actor = http.GetActor();
        if (id == actor.UserId && request.Role != Role.Admin)
        {
            throw NodeOpsException.Invalid("role", "不能降低自己的角色，以免系统失去管理员");
        }

        var account = await users.SetRoleAsync(id, request.Role, http.RequestAborted);
        directory.Invalidate(id);
        await audit.RecordAsync("users", "set_role", actor.DisplayName, $"{account.Username} -> {account.Role}", http.RequestAborted);
        return Envelope.Ok(UserView.From(account), "更新成功");
    }

    private static async Task<IResult> SetDisabledAsync(long id, SetDisabledRequest request, HttpContext http, UserService users, UserDirectory directory, AuditLog audit)
    {
        var actor = http.GetActor();
        if (id == actor.UserId && request.Disabled)
        {
            throw NodeOpsException.Invalid("disabled", "不能禁用自己的账号");
        }

        var account = await users.SetDisabledAsync(id, request.Disabled, http.RequestAborted);
        directory.Invalidate(id);
        await audit.RecordAsync("users", request.Disabled ? "disable" : "enable", actor.DisplayName, account.Username, http.RequestAborted);
        return Envelope.Ok(UserView.From(account), "更新成功");
    }

    [JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
    internal sealed record CreateUserRequest(string Username, string Password, Role Role = Role.User);

    [JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
    internal sealed record SetRoleRequest(Role Role);

    [JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
    internal sealed record SetDisabledRequest(bool Disabled);
}
