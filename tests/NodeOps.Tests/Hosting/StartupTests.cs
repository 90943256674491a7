using System.Net;
using Microsoft.Extensions.Options;
using NodeOps.Functions.Hosting;
using NodeOps.Tests.TestBed;

namespace NodeOps.Tests.Hosting;

public sealed class StartupTests
{
    [Theory]
    [InlineData("--Storage:Provider=Cassandra", "Storage:Provider 'Cassandra' is unknown")]
    [InlineData("--Storage:Provider=AzureStorage", "Storage:ConnectionString is required")]
    [InlineData("--Storage:ConnectionString=AccountName=x;AccountKey=!!notbase64", "AccountKey is not valid base64")]
    [InlineData("--Storage:ConnectionString=garbage", "every part must look like Name=Value")]
    [InlineData("--Storage:ConnectionString=TableEndpoint=https://x.table.core.windows.net", "QueueEndpoint is missing")]
    [InlineData("--Auth:SigningKey=c2hvcnQ=", "at least 32 bytes")]
    [InlineData("--Auth:MaxLoginFailuresPerClient=2", "Auth:MaxLoginFailuresPerClient at least Auth:MaxLoginFailures")]
    [InlineData("--Auth:PasswordHashWaitTimeout=00:00:00", "Auth:PasswordHashWaitTimeout must be positive")]
    [InlineData("--Secrets:MasterKey=c2hvcnQ=", "exactly 32 bytes")]
    [InlineData("--Host:Url=ftp://127.0.0.1:1", "is not an http(s) URL")]
    public async Task WrongOptions_FailFastWithAClearMessage(string setting, string expected)
    {
        var data = Path.Combine(Path.GetTempPath(), "nodeops-startup-" + Guid.NewGuid().ToString("N"));
        var args = new[] { "--Host:Url=http://127.0.0.1:0", $"--Host:DataPath={data}", setting };
        if (setting.StartsWith("--Storage:ConnectionString", StringComparison.Ordinal))
        {
            args = [.. args, "--Storage:Provider=AzureStorage"];
        }

        var error = await Assert.ThrowsAsync<OptionsValidationException>(async () =>
        {
            await using var app = NodeOpsApp.Create(args);
            await app.StartAsync();
            await app.StopAsync();
        });

        Assert.True(error.Message.Contains(expected, StringComparison.Ordinal), error.Message);
        Assert.DoesNotContain("notbase64", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Restart_KeepsTokensValid_AndDoesNotRecreateAdmin()
    {
        var data = Path.Combine(Path.GetTempPath(), "nodeops-restart-" + Guid.NewGuid().ToString("N"));
        string token;
        await using (var first = await TestHost.StartAsync(dataPath: data))
        {
            token = await first.TokenAsync(NodeOps.Auth.Role.Admin);
        }

        await using var second = await TestHost.StartAsync(new Dictionary<string, string?> { ["Auth:BootstrapAdminPassword"] = "a-different-password" }, data);
        using var client = new HttpClient { BaseAddress = second.BaseAddress };
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);

        (await client.GetApiAsync("/api/v1/auth/me")).AssertStatus(HttpStatusCode.OK);
        Assert.False(string.IsNullOrEmpty(await second.LoginAsync("admin", TestHost.AdminPassword)));
    }

    [Fact]
    public async Task FirstStart_WithoutConfiguredPassword_GeneratesOneThatWorks()
    {
        var data = Path.Combine(Path.GetTempPath(), "nodeops-bootstrap-" + Guid.NewGuid().ToString("N"));
        var originalOut = Console.Out;
        using var captured = new StringWriter();
        Console.SetOut(captured);
        TestHost host;
        try
        {
            host = await TestHost.StartAsync(new Dictionary<string, string?> { ["Auth:BootstrapAdminPassword"] = "" }, data);
        }
        finally
        {
            Console.SetOut(originalOut);
        }

        await using (host)
        {
            var match = System.Text.RegularExpressions.Regex.Match(captured.ToString(), "shown only this once: (\\S+)");
            Assert.True(match.Success, captured.ToString());
            Assert.False(string.IsNullOrEmpty(await host.LoginAsync("admin", match.Groups[1].Value)));
        }
    }
}
