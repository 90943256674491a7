using System.Text.Json.Serialization;
using NodeOps.Auth;
using NodeOps.Clusters;
using NodeOps.Credentials;
using NodeOps.Features;
using NodeOps.Functions.Http;
using NodeOps.Functions.OpenApi;
using NodeOps.Functions.Security;

namespace NodeOps.Functions.Apis;

/// <summary>
/// SSH credentials, admin only even for reads (the spec's credential_id has no route of its own; this is it).
/// Secrets go in and are never shown again: responses carry has_secret, and for keys the public half.
/// </summary>
internal static class CredentialsApi
{
    public static RouteGroupBuilder MapCredentialsApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/v1/automation/credentials").WithTags("Credentials").RequireRole(Role.Admin).RequireFeature(Capability.Automation);
        group.MapGet("/", ListAsync).ProducesPage<Credential>("credentials");
        group.MapGet("/{id}", GetAsync).ProducesData<Credential>();
        group.MapPost("/", CreateAsync).CreatesData<Credential>();
        group.MapPut("/{id}", UpdateAsync).ProducesData<Credential>();
        group.MapDelete("/{id}", DeleteAsync);
        return group;
    }

    private static async Task<IResult> ListAsync(HttpRequest request, CredentialService credentials, CancellationToken cancellationToken)
    {
        var paging = Paging.From(request);
        var cluster = request.Query["cluster_name"].ToString();
        var (total, items) = await credentials.ListAsync(
            cluster.Length == 0 ? null : ClusterService.EnsureName(cluster, "cluster_name"), paging.Skip, paging.PageSize, cancellationToken);
        return Envelope.Ok(new { total, page = paging.Page, page_size = paging.PageSize, credentials = items });
    }

    private static async Task<IResult> GetAsync(string id, CredentialService credentials, CancellationToken cancellationToken) =>
        Envelope.Ok(await credentials.GetAsync(RouteIds.Parse(id), cancellationToken));

    private static async Task<IResult> CreateAsync(CreateCredentialRequest request, HttpContext http, CredentialService credentials)
    {
        var input = new CredentialInput(request.Name, request.Description, request.Username, request.AuthType, request.Password, request.PrivateKey, request.Passphrase,
            request.Port, request.ClusterName, request.NodePattern, request.IsDefault);
        return Envelope.Created(await credentials.CreateAsync(input, http.GetActor(), http.RequestAborted));
    }

    private static async Task<IResult> UpdateAsync(string id, UpdateCredentialRequest request, HttpContext http, CredentialService credentials)
    {
        var credentialId = RouteIds.Parse(id);
        var input = new CredentialInput(request.Name, request.Description, request.Username, request.AuthType, request.Password, request.PrivateKey, request.Passphrase,
            request.Port, request.ClusterName, request.NodePattern, request.IsDefault);
        return Envelope.Ok(await credentials.UpdateAsync(credentialId, input, http.GetActor(), http.RequestAborted), "更新成功");
    }

    private static async Task<IResult> DeleteAsync(string id, HttpContext http, CredentialService credentials)
    {
        await credentials.DeleteAsync(RouteIds.Parse(id), http.GetActor(), http.RequestAborted);
        return Envelope.Ok("删除成功");
    }

    [JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
    internal sealed record CreateCredentialRequest(
        string Name,
        string Username,
        CredentialAuthType AuthType,
        string? Password = null,
        string? PrivateKey = null,
        string? Passphrase = null,
        int? Port = null,
        string? ClusterName = null,
        string? NodePattern = null,
        bool? IsDefault = null,
        string? Description = null)
    {
        public override string ToString() => $"CreateCredentialRequest {{ Name = {Name}, Username = {Username}, AuthType = {AuthType} }}";
    }

    [JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
    internal sealed record UpdateCredentialRequest(
        string? Name = null,
        string? Username = null,
        CredentialAuthType? AuthType = null,
        string? Password = null,
        string? PrivateKey = null,
        string? Passphrase = null,
        int? Port = null,
        string? ClusterName = null,
        string? NodePattern = null,
        bool? IsDefault = null,
        string? Description = null)
    {
        public override string ToString() => $"UpdateCredentialRequest {{ Name = {Name}, Username = {Username}, AuthType = {AuthType} }}";
    }
}
