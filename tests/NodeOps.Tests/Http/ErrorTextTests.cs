using System.Net;
using NodeOps.Auth;
using NodeOps.Tests.Assistant;
using NodeOps.Tests.TestBed;

namespace NodeOps.Tests.Http;

/// <summary>Item 4 of issue 16: refused input says what was wrong and what is allowed, in the surface's envelope, naming the field.</summary>
public sealed class ErrorTextTests : IAsyncLifetime
{
    private TestHost _host = null!;

    public async Task InitializeAsync() => _host = await TestHost.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task EnumOutOfRange_NamesTheAllowedValues()
    {
        using var admin = await _host.ClientAsync(Role.Admin);

        var role = await admin.PostJsonAsync("/api/v1/users", new { username = "enum-user", password = "password-enum-user", role = "root" });
        var authType = await admin.PostJsonAsync("/api/v1/automation/credentials", new { name = "c1", username = "root", auth_type = "kerberos", password = "x" });

        role.AssertError(HttpStatusCode.BadRequest, "role");
        Assert.Contains("\"root\"", Error(role), StringComparison.Ordinal);
        Assert.Contains("viewer, user, admin", Error(role), StringComparison.Ordinal);
        authType.AssertError(HttpStatusCode.BadRequest, "auth_type");
        Assert.Contains("\"kerberos\"", Error(authType), StringComparison.Ordinal);
        Assert.Contains("password, private_key", Error(authType), StringComparison.Ordinal);
    }

    [Fact]
    public async Task NumberOutOfItsTypesRange_GivesTheRange()
    {
        using var admin = await _host.ClientAsync(Role.Admin);

        var response = await admin.PostJsonAsync("/api/v1/automation/ssh/execute",
            "{\"cluster_name\":\"main\",\"target_nodes\":[\"n1\"],\"credential_id\":1,\"command\":\"uptime\",\"timeout\":1e11}");

        response.AssertError(HttpStatusCode.BadRequest, "timeout");
        Assert.Contains("-2147483648 到 2147483647", Error(response), StringComparison.Ordinal);
        Assert.Contains("1e11", Error(response), StringComparison.Ordinal);
    }

    [Fact]
    public async Task EmptyBodyAndNullBody_SayWhich()
    {
        using var admin = await _host.ClientAsync(Role.Admin);

        var empty = await admin.PostJsonAsync("/api/v1/users", "");
        var whitespace = await admin.PostJsonAsync("/api/v1/users", "  \n");
        var literalNull = await admin.PostJsonAsync("/api/v1/users", "null");

        empty.AssertError(HttpStatusCode.BadRequest, "body");
        Assert.Contains("请求体为空", Error(empty), StringComparison.Ordinal);
        whitespace.AssertError(HttpStatusCode.BadRequest, "body");
        Assert.Contains("请求体为空", Error(whitespace), StringComparison.Ordinal);
        literalNull.AssertError(HttpStatusCode.BadRequest, "body");
        Assert.Contains("请求体是 null", Error(literalNull), StringComparison.Ordinal);
    }

    [Fact]
    public async Task DeeplyNestedJson_SaysItIsNestedTooDeep_OnBothSurfaces()
    {
        using var admin = await _host.ClientAsync(Role.Admin);
        var nested = "{\"name\":" + new string('[', 5000) + new string(']', 5000) + "}";

        var automation = await admin.PostJsonAsync("/api/v1/automation/ansible/playbooks", nested);
        var assistant = await admin.PostJsonAsync("/api/v1/chat", "{\"query\":\"hi\",\"context\":" + new string('[', 5000) + new string(']', 5000) + "}");

        automation.AssertError(HttpStatusCode.BadRequest);
        Assert.Contains("嵌套超过 64 层", Error(automation), StringComparison.Ordinal);
        AssistantErrors.Assert(assistant, HttpStatusCode.BadRequest, "INVALID_REQUEST");
        Assert.Contains("嵌套超过 64 层", assistant.Json.GetProperty("error_details").GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task BrokenJson_SaysWhere()
    {
        using var admin = await _host.ClientAsync(Role.Admin);

        var response = await admin.PostJsonAsync("/api/v1/users", "{\"username\": \"a\",\n \"password\": }");

        response.AssertError(HttpStatusCode.BadRequest);
        Assert.Contains("第 2 行", Error(response), StringComparison.Ordinal);
    }

    private static string Error(ApiResponse response) => response.Json.GetProperty("error").GetString()!;
}
