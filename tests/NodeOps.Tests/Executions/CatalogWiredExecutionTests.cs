using System.Net;
using NodeOps.Auth;
using NodeOps.Tests.TestBed;

namespace NodeOps.Tests.Executions;

/// <summary>
/// End to end with nothing replaced: the cluster, credentials and script are created through the catalog API,
/// and the engine runs on the real sshd nodes through them.
/// </summary>
[Collection(SshNodesCollection.Name)]
public sealed class CatalogWiredExecutionTests(SshNodes nodes) : HostedTest
{
    private readonly string _token = Guid.NewGuid().ToString("N")[..10];

    [Fact]
    public async Task CatalogCredentialsAndScript_RunOnRealNodes()
    {
        using var admin = await Host.ClientAsync(Role.Admin);
        using var user = await Host.ClientAsync(Role.User);
        var sshd = nodes.Sshd;
        var keyId = await CreateCredentialAsync(admin, new { name = "e2e-key", username = sshd.User, auth_type = "private_key", private_key = sshd.ClientPrivateKey });
        var passwordId = await CreateCredentialAsync(admin, new { name = "e2e-password", username = sshd.User, auth_type = "password", password = sshd.Password });
        var picked = sshd.Nodes.Take(4).ToArray();
        (await admin.PostJsonAsync("/api/v1/clusters", new
        {
            name = "e2e",
            nodes = picked.Select(n => new { name = n.Name, address = n.Address, port = n.Port }).ToArray(),
            default_credential_id = keyId,
        })).AssertStatus(HttpStatusCode.Created);
        var script = await user.PostJsonAsync("/api/v1/automation/scripts", new
        {
            name = "e2e-greeting",
            language = "shell",
            category = "diagnosis",
            content = "#!/bin/bash\necho \"greeting=${GREETING} on ${NODEOPS_NODE}\"\necho ran >> \"$NODEOPS_NODE_DIR/" + _token + ".log\"\n",
            parameters = new[] { new { name = "GREETING", required = true } },
        });
        script.AssertStatus(HttpStatusCode.Created);
        var scriptId = script.Data.GetProperty("id").GetInt64();

        var command = await ExecutionApiClient.WaitForFinalAsync(user, "ssh", await ExecutionApiClient.StartAsync(user, "ssh", new
        {
            cluster_name = "e2e",
            target_nodes = picked.Select(n => n.Name).ToArray(),
            credential_id = passwordId,
            command = "echo via-password $NODEOPS_NODE",
            timeout = 30,
        }));
        var scriptRun = await ExecutionApiClient.WaitForFinalAsync(user, "scripts", await ExecutionApiClient.StartAsync(user, "scripts", new
        {
            script_id = scriptId,
            cluster_name = "e2e",
            target_nodes = picked.Select(n => n.Name).ToArray(),
            credential_id = keyId,
            parameters = new Dictionary<string, string> { ["GREETING"] = "$(id -u) 'quoted' \"double\"" },
            timeout = 30,
        }));

        Assert.Equal("completed", command.GetProperty("status").GetString());
        Assert.Equal("completed", scriptRun.GetProperty("status").GetString());
        var commandResults = ExecutionApiClient.ResultsByNode(command);
        var scriptResults = ExecutionApiClient.ResultsByNode(scriptRun);
        foreach (var node in picked)
        {
            Assert.Equal($"via-password {node.Name}\n", commandResults[node.Name].GetProperty("stdout").GetString());
            Assert.Equal($"greeting=$(id -u) 'quoted' \"double\" on {node.Name}\n", scriptResults[node.Name].GetProperty("stdout").GetString());
            Assert.Equal(1, SshdFixture.CountLines(node, _token + ".log"));
        }

        var pins = await admin.GetApiAsync("/api/v1/clusters/e2e/host-keys");
        pins.AssertStatus(HttpStatusCode.OK);
        Assert.Contains(picked[0].Name, pins.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnknownNodeInCatalogCluster_IsRefusedListingEveryUnknownName()
    {
        using var admin = await Host.ClientAsync(Role.Admin);
        var keyId = await CreateCredentialAsync(admin, new { name = "e2e-key2", username = nodes.Sshd.User, auth_type = "private_key", private_key = nodes.Sshd.ClientPrivateKey });
        var node = nodes.Sshd.Nodes[0];
        (await admin.PostJsonAsync("/api/v1/clusters", new { name = "e2e-two", nodes = new[] { new { name = node.Name, address = node.Address, port = node.Port } } }))
            .AssertStatus(HttpStatusCode.Created);

        var response = await admin.PostJsonAsync("/api/v1/automation/ssh/execute", new
        {
            cluster_name = "e2e-two",
            target_nodes = new[] { node.Name, "ghost-1", "ghost-2" },
            credential_id = keyId,
            command = "uptime",
        });

        Assert.True(response.Status is HttpStatusCode.BadRequest or HttpStatusCode.UnprocessableEntity, response.Body);
        Assert.Equal("target_nodes", response.Json.GetProperty("field").GetString());
        Assert.Contains("ghost-1", response.Body, StringComparison.Ordinal);
        Assert.Contains("ghost-2", response.Body, StringComparison.Ordinal);
    }

    private static async Task<long> CreateCredentialAsync(HttpClient admin, object body)
    {
        var response = await admin.PostJsonAsync("/api/v1/automation/credentials", body);
        response.AssertStatus(HttpStatusCode.Created);
        return response.Data.GetProperty("id").GetInt64();
    }
}
