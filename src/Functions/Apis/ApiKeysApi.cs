using System.Text.Json.Serialization;
using NodeOps.Audit;
using NodeOps.Auth;
using NodeOps.Functions.Http;
using NodeOps.Functions.OpenApi;
using NodeOps.Functions.Security;

namespace NodeOps.Functions.Apis;

/// <summary>API keys for machine clients. The key text is shown once, at creation.</summary>
internal static class ApiKeysApi
{
    public static RouteGroupBuilder MapApiKeysApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/v1/api-keys").WithTags("API keys").RequireRole(Role.Admin);
        group.MapGet("/", ListAsync).ProducesList<ApiKeyView>("api_keys");
        group.MapPost("/", CreateAsync);
        group.MapDelete("/{id}", RevokeAsync);
        return group;
    }

    private static async Task<IResult> ListAsync(ApiKeyService keys, CancellationToken cancellationToken)
    {
        var list = await keys.ListAsync(cancellationToken);
        return Envelope.Ok(new { total = list.Count, api_keys = list });
    }

    private static async Task<IResult> CreateAsync(CreateApiKeyRequest request, HttpContext http, ApiKeyService keys, AuditLog audit)
    {
        var actor = http.GetActor();
        var (key, secret) = await keys.CreateAsync(request.Name, request.Role, actor, http.RequestAborted);
        await audit.RecordAsync("api_keys", "create", actor.DisplayName, $"{key.Id} {key.Name} ({key.Role})", http.RequestAborted);
        return Envelope.Created(new { key.Id, key.Name, key.Role, key.CreatedAt, key = secret }, "创建成功，请立即保存该 Key，它不会再次显示");
    }

    private static async Task<IResult> RevokeAsync(string id, HttpContext http, ApiKeyService keys, AuditLog audit)
    {
        await keys.RevokeAsync(id, http.RequestAborted);
        await audit.RecordAsync("api_keys", "revoke", http.GetActor().DisplayName, id, http.RequestAborted);
        return Envelope.Ok("已撤销");
    }

    [JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
    internal sealed record CreateApiKeyRequest(string Name, Role Role = Role.User);
}
