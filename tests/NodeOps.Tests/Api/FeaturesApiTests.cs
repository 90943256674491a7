using System.Net;
using NodeOps.Audit;
using NodeOps.Auth;
using NodeOps.Tests.TestBed;

namespace NodeOps.Tests.Api;

public sealed class FeaturesApiTests : HostedTest
{
    [Fact]
    public async Task GetFeatures_Anonymous_ReturnsSpecShape()
    {
        var response = await Host.Anonymous.GetApiAsync("/api/v1/features");

        response.AssertStatus(HttpStatusCode.OK);
        var automation = response.Data.GetProperty("automation");
        foreach (var name in new[] { "enabled", "ansible_enabled", "ssh_enabled", "scripts_enabled", "workflows_enabled" })
        {
            Assert.True(automation.GetProperty(name).GetBoolean(), name);
        }
    }

    [Theory]
    [InlineData(Role.Viewer)]
    [InlineData(Role.User)]
    public async Task PutFeatures_NonAdmin_Returns403(Role role)
    {
        using var client = await Host.ClientAsync(role);

        (await client.PutJsonAsync("/api/v1/features/automation/enabled", new { enabled = false })).AssertError(HttpStatusCode.Forbidden);
        (await client.PutJsonAsync("/api/v1/features/automation/ssh", new { timeout = 10 })).AssertError(HttpStatusCode.Forbidden);
        (await client.PutJsonAsync("/api/v1/features/automation/ansible", new { timeout = 10 })).AssertError(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task PutFeatures_Anonymous_Returns401()
    {
        (await Host.Anonymous.PutJsonAsync("/api/v1/features/automation/enabled", new { enabled = false })).AssertError(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task DisableAutomation_IsPersistedAndAudited()
    {
        using var admin = await Host.ClientAsync(Role.Admin);

        (await admin.PutJsonAsync("/api/v1/features/automation/enabled", new { enabled = false })).AssertStatus(HttpStatusCode.OK);

        var features = await Host.Anonymous.GetApiAsync("/api/v1/features");
        Assert.False(features.Data.GetProperty("automation").GetProperty("enabled").GetBoolean());
        var audit = await Host.GetRequiredService<AuditLog>().ListAsync("features", 10);
        var entry = Assert.Single(audit);
        Assert.Equal("admin", entry.Actor);
        Assert.Equal("automation.enabled", entry.Action);
    }

    [Fact]
    public async Task SshSettings_PartialUpdate_KeepsOtherValues()
    {
        using var admin = await Host.ClientAsync(Role.Admin);

        var response = await admin.PutJsonAsync("/api/v1/features/automation/ssh", new { timeout = 120, max_concurrent = 30 });

        response.AssertStatus(HttpStatusCode.OK);
        Assert.Equal(120, response.Data.GetProperty("timeout").GetInt32());
        Assert.Equal(30, response.Data.GetProperty("max_concurrent").GetInt32());
        Assert.Equal(20, response.Data.GetProperty("connection_pool_size").GetInt32());
    }

    [Theory]
    [InlineData("{\"timeout\":0}", HttpStatusCode.UnprocessableEntity, "ssh.timeout")]
    [InlineData("{\"timeout\":-5}", HttpStatusCode.UnprocessableEntity, "ssh.timeout")]
    [InlineData("{\"max_concurrent\":100000}", HttpStatusCode.UnprocessableEntity, "ssh.max_concurrent")]
    [InlineData("{\"connection_pool_size\":0}", HttpStatusCode.UnprocessableEntity, "ssh.connection_pool_size")]
    [InlineData("{\"timeout\":\"soon\"}", HttpStatusCode.BadRequest, "timeout")]
    [InlineData("{\"timeout\":1.5}", HttpStatusCode.BadRequest, "timeout")]
    [InlineData("{\"tiemout\":10}", HttpStatusCode.BadRequest, "tiemout")]
    public async Task SshSettings_BadValue_IsRefusedNamingTheField(string body, HttpStatusCode status, string field)
    {
        using var admin = await Host.ClientAsync(Role.Admin);

        (await admin.PutJsonAsync("/api/v1/features/automation/ssh", body)).AssertError(status, field);
    }

    [Fact]
    public async Task AnsibleSettings_BinaryPathMustExist()
    {
        using var admin = await Host.ClientAsync(Role.Admin);

        (await admin.PutJsonAsync("/api/v1/features/automation/ansible", new { binary_path = "/nonexistent/ansible-playbook" }))
            .AssertError(HttpStatusCode.UnprocessableEntity, "binary_path");
        var notExecutable = Path.GetTempFileName();
        try
        {
            File.SetUnixFileMode(notExecutable, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            (await admin.PutJsonAsync("/api/v1/features/automation/ansible", new { binary_path = notExecutable }))
                .AssertError(HttpStatusCode.UnprocessableEntity, "binary_path");
        }
        finally
        {
            File.Delete(notExecutable);
        }

        (await admin.PutJsonAsync("/api/v1/features/automation/ansible", new { binary_path = "relative/path" }))
            .AssertError(HttpStatusCode.UnprocessableEntity, "binary_path");
    }

    [Fact]
    public async Task AnsibleSettings_ValidUpdate_IsReturnedAndPersisted()
    {
        using var admin = await Host.ClientAsync(Role.Admin);

        var response = await admin.PutJsonAsync("/api/v1/features/automation/ansible", new { binary_path = "/bin/sh", timeout = 600, max_concurrent = 3, forks = 7 });

        response.AssertStatus(HttpStatusCode.OK);
        var features = await Host.Anonymous.GetApiAsync("/api/v1/features");
        var ansible = features.Data.GetProperty("ansible");
        Assert.Equal("/bin/sh", ansible.GetProperty("binary_path").GetString());
        Assert.Equal(600, ansible.GetProperty("timeout").GetInt32());
        Assert.Equal(3, ansible.GetProperty("max_concurrent").GetInt32());
        Assert.Equal(7, ansible.GetProperty("forks").GetInt32());
    }
}
