using System.Net;
using NodeOps.Auth;
using NodeOps.Tests.TestBed;

namespace NodeOps.Tests.Api;

public sealed class ScriptsApiTests(CatalogApiFixture fixture) : IClassFixture<CatalogApiFixture>
{
    private const string Path = "/api/v1/automation/scripts";
    private const string PortCheck = "#!/bin/bash\nPORT=${PORT:-80}\nif ss -ltn | grep -q \":${PORT} \"; then echo \"in use\"; else echo free; fi\n";

    private HttpClient User => fixture.Client(Role.User);

    [Fact]
    public async Task Create_ShellScriptWithParameters_KeepsTextVerbatim_AndReturnsParameters()
    {
        var created = (await User.PostJsonAsync(Path, new
        {
            name = Unique("Port check"),
            description = "检查指定端口是否被占用",
            content = PortCheck,
            language = "shell",
            category = "diagnosis",
            tags = new[] { "port", "network" },
            parameters = new object[] { new { name = "PORT", description = "端口", @default = "80", required = true } },
        })).AssertStatus(HttpStatusCode.Created);
        var id = created.Data.GetProperty("id").GetInt64();

        var fetched = (await fixture.Client(Role.Viewer).GetApiAsync($"{Path}/{id}")).AssertStatus(HttpStatusCode.OK);

        // Parameters reach the script as environment variables, so ${PORT} stays as written.
        Assert.Equal(PortCheck, fetched.Data.GetProperty("content").GetString());
        Assert.Equal("shell", fetched.Data.GetProperty("language").GetString());
        var parameter = Assert.Single(fetched.Data.GetProperty("parameters").EnumerateArray());
        Assert.Equal("PORT", parameter.GetProperty("name").GetString());
        Assert.Equal("80", parameter.GetProperty("default").GetString());
        Assert.True(parameter.GetProperty("required").GetBoolean());
    }

    [Fact]
    public async Task Create_PythonScript_Succeeds_AndListFiltersByLanguage()
    {
        var name = Unique("Python hello");
        (await User.PostJsonAsync(Path, new { name, content = "import os\nprint(os.environ.get('GREETING', 'hello'))\n", language = "python" }))
            .AssertStatus(HttpStatusCode.Created);

        var python = (await fixture.Client(Role.Viewer).GetApiAsync(Path + "?language=python&page_size=100")).AssertStatus(HttpStatusCode.OK);
        var items = python.Data.GetProperty("scripts").EnumerateArray().ToList();
        Assert.Contains(items, s => s.GetProperty("name").GetString() == name);
        Assert.All(items, s => Assert.Equal("python", s.GetProperty("language").GetString()));
        Assert.All(items, s => Assert.False(s.TryGetProperty("content", out _), "listings leave the content out"));

        var shellBuiltins = (await fixture.Client(Role.Viewer).GetApiAsync(Path + "?language=shell&is_builtin=true")).AssertStatus(HttpStatusCode.OK);
        Assert.Equal(4, shellBuiltins.Data.GetProperty("total").GetInt32());
    }

    [Theory]
    [InlineData("shell", "if then fi\n", "syntax error")]
    [InlineData("shell", "echo \"unterminated\n", "unexpected EOF")]
    [InlineData("python", "def broken(:\n    pass\n", "line 1")]
    [InlineData("python", "def f():\n    pass\nreturn 5\n", "'return' outside function")]
    public async Task Create_SyntaxError_Returns422WithTheCheckersMessage(string language, string content, string expected)
    {
        var response = await User.PostJsonAsync(Path, new { name = Unique("Broken"), content, language });

        response.AssertError(HttpStatusCode.UnprocessableEntity, "content");
        Assert.Contains(expected, response.Json.GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Equal("语法检查失败", response.Json.GetProperty("message").GetString());
    }

    [Theory]
    [InlineData("shell", "#!/bin/bash\nrm -rf /\n")]
    [InlineData("shell", "dd if=/dev/zero of=/dev/sda bs=1M\n")]
    [InlineData("python", "import shutil\nshutil.rmtree('/etc')\n")]
    public async Task Create_DangerousScript_Returns422FromTheGuard(string language, string content)
    {
        var response = await User.PostJsonAsync(Path, new { name = Unique("Dangerous"), content, language });

        response.AssertError(HttpStatusCode.UnprocessableEntity, "content");
        Assert.Equal("DANGEROUS_COMMAND", response.Json.GetProperty("error_code").GetString());
        Assert.Equal("命令验证失败", response.Json.GetProperty("message").GetString());
    }

    [Theory]
    [InlineData("1ABC", "parameters[0].name")]
    [InlineData("BAD-NAME", "parameters[0].name")]
    [InlineData("HAS SPACE", "parameters[0].name")]
    [InlineData("LD_PRELOAD", "parameters[0].name")]
    [InlineData("PATH", "parameters[0].name")]
    [InlineData("BASH_ENV", "parameters[0].name")]
    public async Task Create_ParameterNameNotAnAllowedVariable_Returns422OnThatParameter(string parameterName, string field)
    {
        var response = await User.PostJsonAsync(Path, new { name = Unique("Params"), content = "echo ok\n", language = "shell", parameters = new[] { new { name = parameterName } } });

        response.AssertError(HttpStatusCode.UnprocessableEntity, field);
    }

    [Fact]
    public async Task SecretFlag_RoundTripsOnCreateGetAndUpdate()
    {
        var created = (await User.PostJsonAsync(Path, new
        {
            name = Unique("Secret params"),
            content = "echo \"$DB_USER\"\n",
            language = "shell",
            parameters = new object[] { new { name = "DB_USER", @default = "app" }, new { name = "DB_PASSWORD", required = true, secret = true } },
        })).AssertStatus(HttpStatusCode.Created);
        var id = created.Data.GetProperty("id").GetInt64();

        var fetched = (await fixture.Client(Role.Viewer).GetApiAsync($"{Path}/{id}")).AssertStatus(HttpStatusCode.OK);
        var parameters = fetched.Data.GetProperty("parameters").EnumerateArray().ToDictionary(p => p.GetProperty("name").GetString()!, p => p.GetProperty("secret").GetBoolean());
        Assert.Equal(new Dictionary<string, bool> { ["DB_USER"] = false, ["DB_PASSWORD"] = true }, parameters);

        (await User.PutJsonAsync($"{Path}/{id}", new { parameters = new object[] { new { name = "DB_PASSWORD", secret = false } } })).AssertStatus(HttpStatusCode.OK);
        var updated = (await User.GetApiAsync($"{Path}/{id}")).AssertStatus(HttpStatusCode.OK);
        Assert.False(Assert.Single(updated.Data.GetProperty("parameters").EnumerateArray()).GetProperty("secret").GetBoolean());
        var first = (await User.GetApiAsync($"{Path}/{id}/versions/1")).AssertStatus(HttpStatusCode.OK);
        Assert.Contains(first.Data.GetProperty("parameters").EnumerateArray(), p => p.GetProperty("name").GetString() == "DB_PASSWORD" && p.GetProperty("secret").GetBoolean());
    }

    [Fact]
    public async Task Create_DuplicateParameter_Returns422OnTheSecond()
    {
        var response = await User.PostJsonAsync(Path, new
        {
            name = Unique("Dup params"),
            content = "echo ok\n",
            language = "shell",
            parameters = new[] { new { name = "A" }, new { name = "B" }, new { name = "A" } },
        });

        response.AssertError(HttpStatusCode.UnprocessableEntity, "parameters[2].name");
    }

    [Theory]
    [InlineData("{\"name\":\"x\",\"content\":\"echo\",\"language\":\"ruby\"}", 422, "language")]
    [InlineData("{\"name\":\"x\",\"content\":\"echo\"}", 400, "language")]
    [InlineData("{\"name\":\"x\",\"content\":\"echo\",\"language\":\"shell\",\"parameters\":[{\"name\":\"A\",\"unknown\":1}]}", 400, "parameters[0].unknown")]
    [InlineData("{\"name\":\"x\",\"content\":\"echo\",\"language\":\"shell\",\"parameters\":[{\"name\":\"A\",\"required\":\"yes\"}]}", 400, "parameters[0].required")]
    [InlineData("{\"name\":\"x\",\"content\":\"echo\",\"language\":\"shell\",\"category\":\"bogus\"}", 422, "category")]

    // A secret's default would sit in the catalog in clear.
    [InlineData("{\"name\":\"x\",\"content\":\"echo\",\"language\":\"shell\",\"parameters\":[{\"name\":\"TOKEN\",\"default\":\"d\",\"secret\":true}]}", 422, "parameters[0].default")]
    public async Task Create_BadFields_AreNamed(string body, int status, string field)
    {
        (await User.PostJsonAsync(Path, body)).AssertError((HttpStatusCode)status, field);
    }

    [Fact]
    public async Task List_UnknownLanguage_Returns400OnLanguage()
    {
        (await fixture.Client(Role.Viewer).GetApiAsync(Path + "?language=ruby")).AssertError(HttpStatusCode.BadRequest, "language");
    }

    [Fact]
    public async Task Content_Of1MiB_IsStoredAndReadBackWhole_AndOneByteMoreIsRefused()
    {
        var line = "# " + new string('x', 1021) + "\n";
        var content = string.Concat(Enumerable.Repeat(line, 1024));
        Assert.Equal(1024 * 1024, content.Length);

        var created = (await User.PostJsonAsync(Path, new { name = Unique("Big"), content, language = "shell" })).AssertStatus(HttpStatusCode.Created);
        var fetched = (await fixture.Client(Role.Viewer).GetApiAsync($"{Path}/{created.Data.GetProperty("id").GetInt64()}")).AssertStatus(HttpStatusCode.OK);
        Assert.Equal(content, fetched.Data.GetProperty("content").GetString());

        var tooBig = await User.PostJsonAsync(Path, new { name = Unique("Too big"), content = content + "#", language = "shell" });
        tooBig.AssertError(HttpStatusCode.UnprocessableEntity, "content");
    }

    [Fact]
    public async Task Update_ParametersOrContent_BumpVersion_AndOldVersionKeepsItsParameters()
    {
        var created = (await User.PostJsonAsync(Path, new { name = Unique("Versioned"), content = "echo \"$A\"\n", language = "shell", parameters = new[] { new { name = "A" } } }))
            .AssertStatus(HttpStatusCode.Created);
        var id = created.Data.GetProperty("id").GetInt64();

        var v2 = (await User.PutJsonAsync($"{Path}/{id}", new { parameters = new[] { new { name = "A" }, new { name = "B" } } })).AssertStatus(HttpStatusCode.OK);
        Assert.Equal(2, v2.Data.GetProperty("version").GetInt32());
        var v3 = (await User.PutJsonAsync($"{Path}/{id}", new { content = "echo \"$A $B\"\n" })).AssertStatus(HttpStatusCode.OK);
        Assert.Equal(3, v3.Data.GetProperty("version").GetInt32());
        Assert.Equal(2, v3.Data.GetProperty("parameters").GetArrayLength());

        var first = (await fixture.Client(Role.Viewer).GetApiAsync($"{Path}/{id}/versions/1")).AssertStatus(HttpStatusCode.OK);
        Assert.Equal("echo \"$A\"\n", first.Data.GetProperty("content").GetString());
        Assert.Equal(1, first.Data.GetProperty("parameters").GetArrayLength());
        var versions = (await fixture.Client(Role.Viewer).GetApiAsync($"{Path}/{id}/versions?page_size=2")).AssertStatus(HttpStatusCode.OK);
        Assert.Equal(3, versions.Data.GetProperty("total").GetInt32());
        Assert.Equal(2, versions.Data.GetProperty("versions").GetArrayLength());
    }

    [Fact]
    public async Task Update_BrokenContent_IsRefused_AndTheScriptIsUnchanged()
    {
        var created = (await User.PostJsonAsync(Path, new { name = Unique("Stable"), content = "echo stable\n", language = "shell" })).AssertStatus(HttpStatusCode.Created);
        var id = created.Data.GetProperty("id").GetInt64();

        (await User.PutJsonAsync($"{Path}/{id}", new { content = "case x in\n" })).AssertError(HttpStatusCode.UnprocessableEntity, "content");

        var fetched = (await fixture.Client(Role.Viewer).GetApiAsync($"{Path}/{id}")).AssertStatus(HttpStatusCode.OK);
        Assert.Equal("echo stable\n", fetched.Data.GetProperty("content").GetString());
        Assert.Equal(1, fetched.Data.GetProperty("version").GetInt32());
    }

    [Fact]
    public async Task Delete_BuiltinScript_IsRefused_UserScriptIsDeleted()
    {
        var builtin = (await fixture.Client(Role.Viewer).GetApiAsync(Path + "?is_builtin=true")).Data.GetProperty("scripts")[0].GetProperty("id").GetInt64();
        (await fixture.Client(Role.Admin).DeleteApiAsync($"{Path}/{builtin}")).AssertError(HttpStatusCode.Forbidden);

        var created = (await User.PostJsonAsync(Path, new { name = Unique("Doomed"), content = "echo bye\n", language = "shell" })).AssertStatus(HttpStatusCode.Created);
        var id = created.Data.GetProperty("id").GetInt64();
        (await fixture.Client(Role.Admin).DeleteApiAsync($"{Path}/{id}")).AssertStatus(HttpStatusCode.OK);
        (await fixture.Client(Role.Viewer).GetApiAsync($"{Path}/{id}")).AssertError(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task BuiltinScripts_AreListedWithTheirParameters()
    {
        var list = (await fixture.Client(Role.Viewer).GetApiAsync(Path + "?is_builtin=true")).AssertStatus(HttpStatusCode.OK);
        var names = list.Data.GetProperty("scripts").EnumerateArray().Select(s => s.GetProperty("name").GetString()!).ToList();
        Assert.Equal(["系统信息收集", "磁盘使用报告", "日志收集", "性能快照"], names);

        var diskId = list.Data.GetProperty("scripts")[1].GetProperty("id").GetInt64();
        var disk = (await fixture.Client(Role.Viewer).GetApiAsync($"{Path}/{diskId}")).AssertStatus(HttpStatusCode.OK);
        Assert.Equal(["SCAN_PATH", "TOP", "THRESHOLD"], disk.Data.GetProperty("parameters").EnumerateArray().Select(p => p.GetProperty("name").GetString()!).ToArray());
    }

    private static string Unique(string prefix) => prefix + " " + Guid.NewGuid().ToString("N")[..8];
}
