using System.Text.Json.Serialization;
using NodeOps.Auth;
using NodeOps.Clusters;
using NodeOps.Functions.Http;
using NodeOps.Functions.OpenApi;
using NodeOps.Functions.Security;

namespace NodeOps.Functions.Apis;

/// <summary>
/// Registered clusters, addressed by name: viewers read, admins write. The kubeconfig is never returned
/// (only has_kubeconfig). Pinned SSH host keys are listed per cluster, and an admin can clear a node's pin.
/// </summary>
internal static class ClustersApi
{
    public static RouteGroupBuilder MapClustersApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/v1/clusters").WithTags("Clusters");
        group.MapGet("/", ListAsync).RequireRole(Role.Viewer).ProducesPage<Cluster>("clusters");
        group.MapGet("/{name}", GetAsync).RequireRole(Role.Viewer).ProducesData<Cluster>();
        group.MapGet("/{name}/nodes", ListNodesAsync).RequireRole(Role.Viewer).ProducesPage<ClusterNode>("nodes");
        group.MapGet("/{name}/host-keys", ListHostKeysAsync).RequireRole(Role.Viewer).ProducesPage<HostKeyPin>("host_keys");
        group.MapDelete("/{name}/host-keys/{node}", ClearHostKeyAsync).RequireRole(Role.Admin);
        group.MapPost("/", CreateAsync).RequireRole(Role.Admin).CreatesData<Cluster>();
        group.MapPut("/{name}", UpdateAsync).RequireRole(Role.Admin).ProducesData<Cluster>();
        group.MapDelete("/{name}", DeleteAsync).RequireRole(Role.Admin);
        return group;
    }

    private static async Task<IResult> ListAsync(HttpRequest request, ClusterService clusters, CancellationToken cancellationToken)
    {
        var paging = Paging.From(request);
        var (total, items) = await clusters.ListAsync(paging.Skip, paging.PageSize, cancellationToken);
        return Envelope.Ok(new { total, page = paging.Page, page_size = paging.PageSize, clusters = items });
    }

    private static async Task<IResult> GetAsync(string name, ClusterService clusters, CancellationToken cancellationToken) =>
        Envelope.Ok(await clusters.GetAsync(ClusterService.EnsureName(name), cancellationToken));

    private static async Task<IResult> ListNodesAsync(string name, HttpRequest request, ClusterService clusters, CancellationToken cancellationToken)
    {
        ClusterService.EnsureName(name);
        var paging = Paging.From(request);
        var (total, items) = await clusters.ListNodesAsync(name, paging.Skip, paging.PageSize, cancellationToken);
        return Envelope.Ok(new { total, page = paging.Page, page_size = paging.PageSize, nodes = items });
    }

    private static async Task<IResult> ListHostKeysAsync(string name, HttpRequest request, ClusterService clusters, CancellationToken cancellationToken)
    {
        ClusterService.EnsureName(name);
        var paging = Paging.From(request);
        var (total, items) = await clusters.ListHostKeysAsync(name, paging.Skip, paging.PageSize, cancellationToken);
        return Envelope.Ok(new { total, page = paging.Page, page_size = paging.PageSize, host_keys = items });
    }

    private static async Task<IResult> ClearHostKeyAsync(string name, string node, HttpContext http, ClusterService clusters)
    {
        await clusters.ClearHostKeyAsync(ClusterService.EnsureName(name), node, http.GetActor(), http.RequestAborted);
        return Envelope.Ok("主机密钥已清除，下次连接时将重新固定");
    }

    private static async Task<IResult> CreateAsync(CreateClusterRequest request, HttpContext http, ClusterService clusters)
    {
        var input = new ClusterInput(request.Name, request.Description, request.Kubeconfig, Nodes(request.Nodes), request.DefaultCredentialId, request.IsDefault);
        return Envelope.Created(await clusters.CreateAsync(input, http.GetActor(), http.RequestAborted));
    }

    private static async Task<IResult> UpdateAsync(string name, UpdateClusterRequest request, HttpContext http, ClusterService clusters)
    {
        ClusterService.EnsureName(name);
        var input = new ClusterInput(request.Name, request.Description, request.Kubeconfig, Nodes(request.Nodes), request.DefaultCredentialId, request.IsDefault);
        return Envelope.Ok(await clusters.UpdateAsync(name, input, http.GetActor(), http.RequestAborted), "更新成功");
    }

    private static async Task<IResult> DeleteAsync(string name, HttpContext http, ClusterService clusters)
    {
        await clusters.DeleteAsync(ClusterService.EnsureName(name), http.GetActor(), http.RequestAborted);
        return Envelope.Ok("删除成功");
    }

    private static List<ClusterNode>? Nodes(IReadOnlyList<ClusterNodeRequest>? nodes) =>
        nodes?.Select(n => new ClusterNode(n.Name, n.Address, n.Port, n.Labels ?? new Dictionary<string, string>())).ToList();

    [JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
    /// <summary>A node; port 0 or absent means "the credential's port" (22 unless the credential says otherwise).</summary>
    internal sealed record ClusterNodeRequest(string Name, string Address, int Port = 0, IReadOnlyDictionary<string, string>? Labels = null);

    [JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
    internal sealed record CreateClusterRequest(
        string Name, string? Description = null, string? Kubeconfig = null, IReadOnlyList<ClusterNodeRequest>? Nodes = null, long? DefaultCredentialId = null, bool? IsDefault = null)
    {
        public override string ToString() => $"CreateClusterRequest {{ Name = {Name} }}";
    }

    [JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
    internal sealed record UpdateClusterRequest(
        string? Name = null, string? Description = null, string? Kubeconfig = null, IReadOnlyList<ClusterNodeRequest>? Nodes = null, long? DefaultCredentialId = null, bool? IsDefault = null)
    {
        public override string ToString() => $"UpdateClusterRequest {{ Name = {Name} }}";
    }
}
