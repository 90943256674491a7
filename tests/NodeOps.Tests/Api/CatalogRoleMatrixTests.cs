using System.Net;
using NodeOps.Auth;
using NodeOps.Tests.TestBed;

namespace NodeOps.Tests.Api;

/// <summary>
/// Every catalog, cluster and credential route, called by every role: who may (anything but 401/403) and who may not
/// (401 anonymous, 403 below the minimum role). Write routes get bodies or ids that fail after authorization
/// (400/404), so the matrix changes nothing; the other API tests prove the successful paths.
/// </summary>
public sealed class CatalogRoleMatrixTests(CatalogApiFixture fixture) : IClassFixture<CatalogApiFixture>
{
    private const string Playbooks = "/api/v1/automation/ansible/playbooks";
    private const string Scripts = "/api/v1/automation/scripts";
    private const string Workflows = "/api/v1/automation/workflows";
    private const string Clusters = "/api/v1/clusters";
    private const string Credentials = "/api/v1/automation/credentials";

    public static TheoryData<string, string, Role> Routes => new()
    {
        { "GET", Playbooks, Role.Viewer },
        { "GET", Playbooks + "/1", Role.Viewer },
        { "GET", Playbooks + "/1/versions", Role.Viewer },
        { "GET", Playbooks + "/1/versions/1", Role.Viewer },
        { "POST", Playbooks, Role.User },
        { "PUT", Playbooks + "/999999", Role.User },
        { "DELETE", Playbooks + "/999999", Role.Admin },
        { "GET", Scripts, Role.Viewer },
        { "GET", Scripts + "/1", Role.Viewer },
        { "GET", Scripts + "/1/versions", Role.Viewer },
        { "GET", Scripts + "/1/versions/1", Role.Viewer },
        { "POST", Scripts, Role.User },
        { "PUT", Scripts + "/999999", Role.User },
        { "DELETE", Scripts + "/999999", Role.Admin },
        { "GET", Workflows, Role.Viewer },
        { "GET", Workflows + "/1", Role.Viewer },
        { "GET", Workflows + "/1/versions", Role.Viewer },
        { "GET", Workflows + "/1/versions/1", Role.Viewer },
        { "POST", Workflows, Role.User },
        { "PUT", Workflows + "/999999", Role.User },
        { "DELETE", Workflows + "/999999", Role.Admin },
        { "GET", Clusters, Role.Viewer },
        { "GET", Clusters + "/no-such-cluster", Role.Viewer },
        { "GET", Clusters + "/no-such-cluster/nodes", Role.Viewer },
        { "GET", Clusters + "/no-such-cluster/host-keys", Role.Viewer },
        { "DELETE", Clusters + "/no-such-cluster/host-keys/node1", Role.Admin },
        { "POST", Clusters, Role.Admin },
        { "PUT", Clusters + "/no-such-cluster", Role.Admin },
        { "DELETE", Clusters + "/no-such-cluster", Role.Admin },
        { "GET", Credentials, Role.Admin },
        { "GET", Credentials + "/999999", Role.Admin },
        { "POST", Credentials, Role.Admin },
        { "PUT", Credentials + "/999999", Role.Admin },
        { "DELETE", Credentials + "/999999", Role.Admin },
    };

    [Theory]
    [MemberData(nameof(Routes))]
    public async Task Route_IsAllowedFromItsMinimumRoleAndRefusedBelow(string method, string path, Role minimum)
    {
        var anonymous = await SendAsync(fixture.Anonymous, method, path);
        anonymous.AssertError(HttpStatusCode.Unauthorized);

        foreach (var role in new[] { Role.Viewer, Role.User, Role.Admin })
        {
            var response = await SendAsync(fixture.Client(role), method, path);
            if (role < minimum)
            {
                response.AssertError(HttpStatusCode.Forbidden);
                Assert.Contains($"需要 {minimum.ToString().ToLowerInvariant()} 权限", response.Body, StringComparison.Ordinal);
            }
            else
            {
                Assert.True(response.Status is not (HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden),
                    $"{role} should be allowed to {method} {path}, got {(int)response.Status}: {response.Body}");
            }
        }
    }

    /// <summary>Writes carry an empty object: valid JSON that fails binding (400) once authorization let it through.</summary>
    private static Task<ApiResponse> SendAsync(HttpClient client, string method, string path) => method switch
    {
        "GET" => client.GetApiAsync(path),
        "DELETE" => client.DeleteApiAsync(path),
        "POST" => client.PostJsonAsync(path, "{}"),
        _ => client.PutJsonAsync(path, "{\"description\":\"x\"}"),
    };
}
