using System.Net;
using NodeOps.Auth;
using NodeOps.Tests.TestBed;

namespace NodeOps.Tests.Api;

public sealed class PlaybooksApiTests(CatalogApiFixture fixture) : IClassFixture<CatalogApiFixture>
{
    private const string Path = "/api/v1/automation/ansible/playbooks";
    private const string Ping = "---\n- name: Ping\n  hosts: all\n  gather_facts: false\n  tasks:\n    - name: Ping\n      ansible.builtin.ping:\n";
    private const string Uptime = "---\n- name: Uptime\n  hosts: all\n  tasks:\n    - name: Uptime\n      ansible.builtin.command: uptime\n      changed_when: false\n";

    private HttpClient User => fixture.Client(Role.User);

    [Fact]
    public async Task List_FiltersByBuiltinAndCategory_AndReportsTotal()
    {
        var builtins = (await fixture.Client(Role.Viewer).GetApiAsync(Path + "?is_builtin=true&page_size=100")).AssertStatus(HttpStatusCode.OK);
        var items = builtins.Data.GetProperty("playbooks").EnumerateArray().ToList();
        Assert.Equal(4, builtins.Data.GetProperty("total").GetInt32());
        Assert.All(items, p => Assert.True(p.GetProperty("is_builtin").GetBoolean()));
        Assert.Contains(items, p => p.GetProperty("name").GetString() == "系统升级");
        Assert.All(items, p => Assert.Contains("hosts: all", p.GetProperty("content").GetString(), StringComparison.Ordinal));

        var security = (await fixture.Client(Role.Viewer).GetApiAsync(Path + "?category=security&is_builtin=true")).AssertStatus(HttpStatusCode.OK);
        var securityItems = security.Data.GetProperty("playbooks").EnumerateArray().ToList();
        Assert.Single(securityItems);
        Assert.Equal("security", securityItems[0].GetProperty("category").GetString());

        var paged = (await fixture.Client(Role.Viewer).GetApiAsync(Path + "?is_builtin=true&page=2&page_size=3")).AssertStatus(HttpStatusCode.OK);
        Assert.Equal(4, paged.Data.GetProperty("total").GetInt32());
        Assert.Single(paged.Data.GetProperty("playbooks").EnumerateArray());
    }

    [Theory]
    [InlineData("?page_size=101", "page_size")]
    [InlineData("?page_size=0", "page_size")]
    [InlineData("?page=0", "page")]
    [InlineData("?page=abc", "page")]
    [InlineData("?category=nonsense", "category")]
    [InlineData("?is_builtin=maybe", "is_builtin")]
    public async Task List_BadQuery_Returns400NamingTheParameter(string query, string field)
    {
        var response = await fixture.Client(Role.Viewer).GetApiAsync(Path + query);

        response.AssertError(HttpStatusCode.BadRequest, field);
        if (field == "page_size")
        {
            Assert.Contains("100", response.Json.GetProperty("error").GetString(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Create_ValidPlaybook_Returns201AtVersion1_AndGetReturnsIt()
    {
        var created = (await User.PostJsonAsync(Path, new { name = "Ping " + Guid.NewGuid().ToString("N")[..8], content = Ping, category = "diagnosis", tags = new[] { "ping" } }))
            .AssertStatus(HttpStatusCode.Created);
        Assert.Equal(201, created.Json.GetProperty("code").GetInt32());
        Assert.Equal("创建成功", created.Json.GetProperty("message").GetString());
        var id = created.Data.GetProperty("id").GetInt64();
        Assert.Equal(1, created.Data.GetProperty("version").GetInt32());
        Assert.False(created.Data.GetProperty("is_builtin").GetBoolean());
        Assert.True(created.Data.GetProperty("is_active").GetBoolean());
        Assert.Equal("test-user", created.Data.GetProperty("created_by").GetString());

        var fetched = (await fixture.Client(Role.Viewer).GetApiAsync($"{Path}/{id}")).AssertStatus(HttpStatusCode.OK);
        Assert.Equal(Ping, fetched.Data.GetProperty("content").GetString());
        Assert.Equal("diagnosis", fetched.Data.GetProperty("category").GetString());
        Assert.Equal(["ping"], fetched.Data.GetProperty("tags").EnumerateArray().Select(t => t.GetString()!).ToArray());
    }

    [Fact]
    public async Task Update_ContentChange_BumpsVersion_AndEveryVersionStaysReadable()
    {
        var id = await CreateAsync(Ping);

        var updated = (await User.PutJsonAsync($"{Path}/{id}", new { content = Uptime })).AssertStatus(HttpStatusCode.OK);
        Assert.Equal(2, updated.Data.GetProperty("version").GetInt32());
        Assert.Equal("更新成功", updated.Json.GetProperty("message").GetString());

        // Metadata alone, or the same content again, keeps the version.
        var renamed = (await User.PutJsonAsync($"{Path}/{id}", new { description = "now with uptime", content = Uptime })).AssertStatus(HttpStatusCode.OK);
        Assert.Equal(2, renamed.Data.GetProperty("version").GetInt32());
        Assert.Equal("now with uptime", renamed.Data.GetProperty("description").GetString());

        var versions = (await fixture.Client(Role.Viewer).GetApiAsync($"{Path}/{id}/versions")).AssertStatus(HttpStatusCode.OK);
        Assert.Equal(2, versions.Data.GetProperty("total").GetInt32());
        Assert.Equal([2, 1], versions.Data.GetProperty("versions").EnumerateArray().Select(v => v.GetProperty("version").GetInt32()).ToArray());

        var first = (await fixture.Client(Role.Viewer).GetApiAsync($"{Path}/{id}/versions/1")).AssertStatus(HttpStatusCode.OK);
        Assert.Equal(Ping, first.Data.GetProperty("content").GetString());
        var second = (await fixture.Client(Role.Viewer).GetApiAsync($"{Path}/{id}/versions/2")).AssertStatus(HttpStatusCode.OK);
        Assert.Equal(Uptime, second.Data.GetProperty("content").GetString());
        Assert.NotEqual(first.Data.GetProperty("content_hash").GetString(), second.Data.GetProperty("content_hash").GetString());

        (await fixture.Client(Role.Viewer).GetApiAsync($"{Path}/{id}/versions/3")).AssertError(HttpStatusCode.NotFound);
        (await fixture.Client(Role.Viewer).GetApiAsync($"{Path}/{id}/versions/abc")).AssertError(HttpStatusCode.BadRequest, "version");
    }

    [Fact]
    public async Task Create_DuplicateNameIgnoringCase_Returns409OnName()
    {
        var name = "Duplicate " + Guid.NewGuid().ToString("N")[..8];
        await CreateAsync(Ping, name);

        var second = await User.PostJsonAsync(Path, new { name = name.ToUpperInvariant(), content = Ping });

        second.AssertError(HttpStatusCode.Conflict, "name");
    }

    [Fact]
    public async Task Update_RenameOntoAnotherName_Returns409_AndRenameFreesTheOldName()
    {
        var taken = "Taken " + Guid.NewGuid().ToString("N")[..8];
        await CreateAsync(Ping, taken);
        var original = "Original " + Guid.NewGuid().ToString("N")[..8];
        var id = await CreateAsync(Ping, original);

        (await User.PutJsonAsync($"{Path}/{id}", new { name = taken })).AssertError(HttpStatusCode.Conflict, "name");
        var free = "Free " + Guid.NewGuid().ToString("N")[..8];
        var renamed = (await User.PutJsonAsync($"{Path}/{id}", new { name = free })).AssertStatus(HttpStatusCode.OK);
        Assert.Equal(free, renamed.Data.GetProperty("name").GetString());

        (await User.PostJsonAsync(Path, new { name = original, content = Ping })).AssertStatus(HttpStatusCode.Created);
        (await User.PostJsonAsync(Path, new { name = free, content = Ping })).AssertError(HttpStatusCode.Conflict, "name");
    }

    [Theory]
    [InlineData("a: [unclosed", "YAML")]
    [InlineData("hosts: all\n", "列表")]
    [InlineData("- name: no hosts\n  tasks: []\n", "缺少 hosts")]
    [InlineData("- import_playbook: other.yml\n", "import_playbook")]
    [InlineData("[]", "至少需要一个 play")]
    public async Task Create_StructurallyInvalidContent_Returns422OnContent(string content, string expected)
    {
        var response = await User.PostJsonAsync(Path, new { name = "Bad " + Guid.NewGuid().ToString("N")[..8], content });

        response.AssertError(HttpStatusCode.UnprocessableEntity, "content");
        Assert.Contains(expected, response.Json.GetProperty("error").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Create_SyntaxCheckFails_Returns422WithAnsibleMessageAndNoTempPath()
    {
        const string content = "- hosts: all\n  tasks:\n    - name: Misspelled module\n      ansible.builtin.pingg:\n";

        var response = await User.PostJsonAsync(Path, new { name = "Bad module " + Guid.NewGuid().ToString("N")[..8], content });

        response.AssertError(HttpStatusCode.UnprocessableEntity, "content");
        var error = response.Json.GetProperty("error").GetString()!;
        Assert.Contains("ansible-playbook --syntax-check", error, StringComparison.Ordinal);
        Assert.Contains("ansible.builtin.pingg", error, StringComparison.Ordinal);
        Assert.DoesNotContain(System.IO.Path.GetTempPath(), error, StringComparison.Ordinal);
        Assert.Equal("SYNTAX_CHECK_FAILED", response.Json.GetProperty("error_code").GetString());
    }

    [Theory]
    [InlineData("a/b")]
    [InlineData("a\\b")]
    [InlineData("tab\tname")]
    [InlineData(" padded")]
    [InlineData("")]
    public async Task Create_BadName_Returns422OnName(string name)
    {
        var response = await User.PostJsonAsync(Path, new { name, content = Ping });

        response.AssertError(HttpStatusCode.UnprocessableEntity, "name");
    }

    [Fact]
    public async Task Create_EveryBadFieldIsReported()
    {
        var response = await User.PostJsonAsync(Path, new { name = "x/y", content = Ping, category = "nonsense", tags = new[] { "ok", "" } });

        response.AssertError(HttpStatusCode.UnprocessableEntity, "name");
        var fields = response.Json.GetProperty("details").EnumerateArray().Select(d => d.GetProperty("field").GetString()).ToList();
        Assert.Equal(["name", "category", "tags[1]"], fields);
    }

    [Theory]
    [InlineData("{\"name\":1,\"content\":\"- hosts: all\"}", "name")]
    [InlineData("{\"name\":\"x\"}", "content")]
    [InlineData("{\"name\":\"x\",\"content\":null}", "content")]
    [InlineData("{\"name\":\"x\",\"content\":\"- hosts: all\",\"extra\":true}", "extra")]
    [InlineData("{\"name\":\"x\",\"content\":\"- hosts: all\",\"tags\":\"one\"}", "tags")]
    public async Task Create_MalformedBody_Returns400NamingTheField(string body, string field)
    {
        (await User.PostJsonAsync(Path, body)).AssertError(HttpStatusCode.BadRequest, field);
    }

    [Fact]
    public async Task Create_ContentOver1MiB_Returns422OnContent()
    {
        var content = "- hosts: all\n" + new string('#', 1024 * 1024);

        var response = await User.PostJsonAsync(Path, new { name = "Huge " + Guid.NewGuid().ToString("N")[..8], content });

        response.AssertError(HttpStatusCode.UnprocessableEntity, "content");
        Assert.Contains("1 MiB", response.Json.GetProperty("error").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("-1")]
    [InlineData("0")]
    [InlineData("1.5")]
    public async Task Get_IdNotAPositiveNumber_Returns400OnId(string id)
    {
        (await fixture.Client(Role.Viewer).GetApiAsync($"{Path}/{id}")).AssertError(HttpStatusCode.BadRequest, "id");
    }

    [Fact]
    public async Task Get_Missing_Returns404NamingTheId()
    {
        var response = await fixture.Client(Role.Viewer).GetApiAsync($"{Path}/987654");

        response.AssertError(HttpStatusCode.NotFound);
        Assert.Contains("987654", response.Json.GetProperty("error").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Delete_Builtin_IsRefused_AndTheBuiltinRemains()
    {
        var builtin = (await fixture.Client(Role.Viewer).GetApiAsync(Path + "?is_builtin=true")).Data.GetProperty("playbooks")[0];
        var id = builtin.GetProperty("id").GetInt64();

        var response = await fixture.Client(Role.Admin).DeleteApiAsync($"{Path}/{id}");

        response.AssertError(HttpStatusCode.Forbidden);
        Assert.Equal("BUILTIN_PROTECTED", response.Json.GetProperty("error_code").GetString());
        (await fixture.Client(Role.Viewer).GetApiAsync($"{Path}/{id}")).AssertStatus(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Delete_UserPlaybook_RemovesItAndItsVersions()
    {
        var id = await CreateAsync(Ping);
        (await User.PutJsonAsync($"{Path}/{id}", new { content = Uptime })).AssertStatus(HttpStatusCode.OK);

        var deleted = (await fixture.Client(Role.Admin).DeleteApiAsync($"{Path}/{id}")).AssertStatus(HttpStatusCode.OK);

        Assert.Equal("删除成功", deleted.Json.GetProperty("message").GetString());
        (await fixture.Client(Role.Viewer).GetApiAsync($"{Path}/{id}")).AssertError(HttpStatusCode.NotFound);
        (await fixture.Client(Role.Viewer).GetApiAsync($"{Path}/{id}/versions/1")).AssertError(HttpStatusCode.NotFound);
        (await fixture.Client(Role.Admin).DeleteApiAsync($"{Path}/{id}")).AssertError(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task BuiltinPlaybook_CanBeEditedByUsers_AndKeepsItsBuiltinMark()
    {
        var builtin = (await fixture.Client(Role.Viewer).GetApiAsync(Path + "?category=configuration&is_builtin=true")).Data.GetProperty("playbooks")[0];
        var id = builtin.GetProperty("id").GetInt64();

        var updated = (await User.PutJsonAsync($"{Path}/{id}", new { tags = new[] { "ntp", "edited" } })).AssertStatus(HttpStatusCode.OK);

        Assert.True(updated.Data.GetProperty("is_builtin").GetBoolean());
        Assert.Equal(builtin.GetProperty("version").GetInt32(), updated.Data.GetProperty("version").GetInt32());
        Assert.Equal(["ntp", "edited"], updated.Data.GetProperty("tags").EnumerateArray().Select(t => t.GetString()!).ToArray());
    }

    [Fact]
    public async Task FeatureSwitchOff_RefusesPlaybookRoutesWith403()
    {
        var admin = fixture.Client(Role.Admin);
        (await admin.PutJsonAsync("/api/v1/features/automation/ansible", AnsibleSwitch(false))).AssertStatus(HttpStatusCode.OK);
        try
        {
            var response = await fixture.Client(Role.Viewer).GetApiAsync(Path);

            response.AssertError(HttpStatusCode.Forbidden);
            Assert.Equal("功能未启用", response.Json.GetProperty("message").GetString());
        }
        finally
        {
            (await admin.PutJsonAsync("/api/v1/features/automation/ansible", AnsibleSwitch(true))).AssertStatus(HttpStatusCode.OK);
        }
    }

    private static object AnsibleSwitch(bool enabled) =>
        new { enabled, binary_path = (string?)null, temp_dir = (string?)null, timeout = (int?)null, max_concurrent = (int?)null, forks = (int?)null };

    private async Task<long> CreateAsync(string content, string? name = null)
    {
        var response = (await User.PostJsonAsync(Path, new { name = name ?? "Playbook " + Guid.NewGuid().ToString("N")[..8], content })).AssertStatus(HttpStatusCode.Created);
        return response.Data.GetProperty("id").GetInt64();
    }
}
