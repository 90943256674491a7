using System.Net;
using System.Text;
using NodeOps.Auth;
using NodeOps.Credentials;
using NodeOps.Errors;
using NodeOps.Storage;
using NodeOps.Tests.Credentials;
using NodeOps.Tests.TestBed;

namespace NodeOps.Tests.Api;

public sealed class CredentialsApiTests(CatalogApiFixture fixture) : IClassFixture<CatalogApiFixture>
{
    private const string Path = "/api/v1/automation/credentials";

    private HttpClient Admin => fixture.Client(Role.Admin);

    [Fact]
    public async Task Create_PasswordCredential_ShowsHasSecretOnly_AndTheVaultDecryptsIt()
    {
        var password = "pw-" + Guid.NewGuid().ToString("N");
        var created = (await Admin.PostJsonAsync(Path, new { name = Unique("ops"), username = "ops", auth_type = "password", password, port = 2222, description = "ops account" }))
            .AssertStatus(HttpStatusCode.Created);
        var id = created.Data.GetProperty("id").GetInt64();

        Assert.True(created.Data.GetProperty("has_secret").GetBoolean());
        Assert.Equal("password", created.Data.GetProperty("auth_type").GetString());
        Assert.Equal(2222, created.Data.GetProperty("port").GetInt32());
        Assert.False(created.Data.TryGetProperty("password", out _));
        Assert.DoesNotContain(password, created.Body, StringComparison.Ordinal);

        var fetched = (await Admin.GetApiAsync($"{Path}/{id}")).AssertStatus(HttpStatusCode.OK);
        Assert.DoesNotContain(password, fetched.Body, StringComparison.Ordinal);
        var list = (await Admin.GetApiAsync(Path + "?page_size=100")).AssertStatus(HttpStatusCode.OK);
        Assert.Contains(list.Data.GetProperty("credentials").EnumerateArray(), c => c.GetProperty("id").GetInt64() == id);
        Assert.DoesNotContain(password, list.Body, StringComparison.Ordinal);

        var decrypted = await fixture.Host.GetRequiredService<ICredentialVault>().GetDecryptedAsync(id);
        Assert.Equal(password, decrypted.Password);
        Assert.Equal(2222, decrypted.Port);
        Assert.DoesNotContain(password, decrypted.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Create_EncryptedOpenSshKey_RequiresTheRightPassphrase_AndShowsTheFingerprint()
    {
        var passphrase = "pp-" + Guid.NewGuid().ToString("N");
        var (key, fingerprint) = await TestKeys.OpenSshEd25519Async(passphrase);

        (await Admin.PostJsonAsync(Path, new { name = Unique("k"), username = "root", auth_type = "private_key", private_key = key, passphrase = "wrong-" + passphrase }))
            .AssertError(HttpStatusCode.UnprocessableEntity, "passphrase");
        (await Admin.PostJsonAsync(Path, new { name = Unique("k"), username = "root", auth_type = "private_key", private_key = key }))
            .AssertError(HttpStatusCode.UnprocessableEntity, "passphrase");

        var created = (await Admin.PostJsonAsync(Path, new { name = Unique("k"), username = "root", auth_type = "private_key", private_key = key, passphrase }))
            .AssertStatus(HttpStatusCode.Created);
        Assert.Equal(fingerprint, created.Data.GetProperty("key_fingerprint").GetString());
        Assert.Equal("ssh-ed25519", created.Data.GetProperty("key_type").GetString());
        Assert.True(created.Data.GetProperty("has_passphrase").GetBoolean());
        Assert.StartsWith("ssh-ed25519 AAAA", created.Data.GetProperty("public_key").GetString(), StringComparison.Ordinal);

        var decrypted = await fixture.Host.GetRequiredService<ICredentialVault>().GetDecryptedAsync(created.Data.GetProperty("id").GetInt64());
        Assert.Equal(key.Trim(), decrypted.PrivateKey!.Trim());
        Assert.Equal(passphrase, decrypted.Passphrase);
    }

    [Fact]
    public async Task Create_PemAndPkcs8Keys_AreAccepted_AndAPassphraseOnAPlainKeyIsRefused()
    {
        var rsa = TestKeys.RsaPkcs1Pem();
        var created = (await Admin.PostJsonAsync(Path, new { name = Unique("rsa"), username = "root", auth_type = "private_key", private_key = rsa.Replace("\n", "\r\n", StringComparison.Ordinal) }))
            .AssertStatus(HttpStatusCode.Created);
        Assert.Equal("ssh-rsa", created.Data.GetProperty("key_type").GetString());
        Assert.False(created.Data.GetProperty("has_passphrase").GetBoolean());

        (await Admin.PostJsonAsync(Path, new { name = Unique("rsa"), username = "root", auth_type = "private_key", private_key = rsa, passphrase = "unneeded" }))
            .AssertError(HttpStatusCode.UnprocessableEntity, "passphrase");

        var pkcs8 = TestKeys.EcdsaEncryptedPkcs8Pem("pkcs8-pass");
        (await Admin.PostJsonAsync(Path, new { name = Unique("ec"), username = "root", auth_type = "private_key", private_key = pkcs8, passphrase = "pkcs8-wrong" }))
            .AssertError(HttpStatusCode.UnprocessableEntity, "passphrase");
        var ec = (await Admin.PostJsonAsync(Path, new { name = Unique("ec"), username = "root", auth_type = "private_key", private_key = pkcs8, passphrase = "pkcs8-pass" }))
            .AssertStatus(HttpStatusCode.Created);
        Assert.Equal("ecdsa-sha2-nistp256", ec.Data.GetProperty("key_type").GetString());
    }

    [Theory]
    [InlineData("not a key at all")]
    [InlineData("-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----")]
    [InlineData("-----BEGIN OPENSSH PRIVATE KEY-----\nbm90IGFuIG9wZW5zc2gga2V5\n-----END OPENSSH PRIVATE KEY-----")]
    [InlineData("-----BEGIN RSA PRIVATE KEY-----\nMIIBOgIBAAJBAKj34GkxFhD90vcNLYLInFEX6Ppy1tPf9Cnzj4p4WGeKLs1Pt8Qu\n-----END RSA PRIVATE KEY-----")]
    public async Task Create_KeyThatDoesNotParse_Returns422OnPrivateKey(string key)
    {
        (await Admin.PostJsonAsync(Path, new { name = Unique("bad"), username = "root", auth_type = "private_key", private_key = key }))
            .AssertError(HttpStatusCode.UnprocessableEntity, "private_key");
    }

    [Theory]
    [InlineData("{\"name\":\"c\",\"username\":\"-oProxyCommand=x\",\"auth_type\":\"password\",\"password\":\"p\"}", 422, "username")]
    [InlineData("{\"name\":\"c\",\"username\":\"root\",\"auth_type\":\"password\",\"password\":\"p\",\"port\":70000}", 422, "port")]
    [InlineData("{\"name\":\"c\",\"username\":\"root\",\"auth_type\":\"telnet\",\"password\":\"p\"}", 400, "auth_type")]
    [InlineData("{\"name\":\"c\",\"username\":\"root\",\"auth_type\":\"private_key\",\"password\":\"p\",\"private_key\":\"x\"}", 422, "password")]
    [InlineData("{\"name\":\"c\",\"username\":\"root\",\"auth_type\":\"password\"}", 422, "password")]
    [InlineData("{\"name\":\"c\",\"username\":\"root\",\"auth_type\":\"password\",\"password\":\"two\\nlines\"}", 422, "password")]
    [InlineData("{\"name\":\"c\",\"username\":\"root\",\"auth_type\":\"password\",\"password\":\"p\",\"node_pattern\":\"a/b\"}", 422, "node_pattern")]
    [InlineData("{\"name\":\"c\",\"username\":\"root\",\"auth_type\":\"password\",\"password\":\"p\",\"cluster_name\":\"Bad/Name\"}", 422, "cluster_name")]
    [InlineData("{\"name\":\"a/b\",\"username\":\"root\",\"auth_type\":\"password\",\"password\":\"p\"}", 422, "name")]
    [InlineData("{\"name\":\"c\",\"auth_type\":\"password\",\"password\":\"p\"}", 400, "username")]
    [InlineData("{\"name\":\"c\",\"username\":\"root\",\"auth_type\":\"password\",\"password\":12345}", 400, "password")]
    public async Task Create_BadFields_AreNamed(string body, int status, string field)
    {
        (await Admin.PostJsonAsync(Path, body)).AssertError((HttpStatusCode)status, field);
    }

    [Fact]
    public async Task Create_DuplicateName_Returns409()
    {
        var name = Unique("dup");
        (await Admin.PostJsonAsync(Path, new { name, username = "a", auth_type = "password", password = "p1" })).AssertStatus(HttpStatusCode.Created);

        (await Admin.PostJsonAsync(Path, new { name, username = "b", auth_type = "password", password = "p2" })).AssertError(HttpStatusCode.Conflict, "name");
    }

    [Fact]
    public async Task Rotate_KeepsTheId_ReplacesTheSecret_AndCanSwitchToAKey()
    {
        var vault = fixture.Host.GetRequiredService<ICredentialVault>();
        var created = (await Admin.PostJsonAsync(Path, new { name = Unique("rotate"), username = "deploy", auth_type = "password", password = "first-password" }))
            .AssertStatus(HttpStatusCode.Created);
        var id = created.Data.GetProperty("id").GetInt64();

        var rotated = (await Admin.PutJsonAsync($"{Path}/{id}", new { password = "second-password" })).AssertStatus(HttpStatusCode.OK);
        Assert.Equal(id, rotated.Data.GetProperty("id").GetInt64());
        Assert.Equal("second-password", (await vault.GetDecryptedAsync(id)).Password);

        // Switching the type needs the new secret.
        (await Admin.PutJsonAsync($"{Path}/{id}", new { auth_type = "private_key" })).AssertError(HttpStatusCode.UnprocessableEntity, "private_key");
        var key = TestKeys.RsaPkcs1Pem();
        var switched = (await Admin.PutJsonAsync($"{Path}/{id}", new { auth_type = "private_key", private_key = key })).AssertStatus(HttpStatusCode.OK);
        Assert.Equal(id, switched.Data.GetProperty("id").GetInt64());
        Assert.Equal("private_key", switched.Data.GetProperty("auth_type").GetString());
        Assert.Equal("ssh-rsa", switched.Data.GetProperty("key_type").GetString());
        var decrypted = await vault.GetDecryptedAsync(id);
        Assert.Null(decrypted.Password);
        Assert.Equal(key.Trim(), decrypted.PrivateKey!.Trim());

        var renamed = (await Admin.PutJsonAsync($"{Path}/{id}", new { username = "deployer" })).AssertStatus(HttpStatusCode.OK);
        Assert.Equal("deployer", renamed.Data.GetProperty("username").GetString());
        Assert.Equal(key.Trim(), (await vault.GetDecryptedAsync(id)).PrivateKey!.Trim());
    }

    [Fact]
    public async Task Secrets_AreEncryptedAtRest_InTheStoreAndInEveryFileOfTheDataFolder()
    {
        var password = "at-rest-password-" + Guid.NewGuid().ToString("N");
        var passphrase = "at-rest-passphrase-" + Guid.NewGuid().ToString("N");
        var (key, _) = await TestKeys.OpenSshEd25519Async(passphrase);
        var keyBody = key.Split('\n')[2];
        (await Admin.PostJsonAsync(Path, new { name = Unique("rest-pw"), username = "root", auth_type = "password", password })).AssertStatus(HttpStatusCode.Created);
        var keyed = (await Admin.PostJsonAsync(Path, new { name = Unique("rest-key"), username = "root", auth_type = "private_key", private_key = key, passphrase }))
            .AssertStatus(HttpStatusCode.Created);

        var rows = await fixture.Host.GetRequiredService<ITableStore>().QueryListAsync("credentials", new TableQuery());
        Assert.NotEmpty(rows);
        var stored = string.Join("\n", rows.SelectMany(r => r.Properties.Values).Select(v => v as string ?? (v is byte[] b ? Encoding.UTF8.GetString(b) : v?.ToString())));
        Assert.Contains("v1:", stored, StringComparison.Ordinal);
        foreach (var secret in new[] { password, passphrase, keyBody })
        {
            Assert.DoesNotContain(secret, stored, StringComparison.Ordinal);
        }

        foreach (var file in Directory.EnumerateFiles(fixture.Host.DataPath, "*", SearchOption.AllDirectories))
        {
            var bytes = await ReadSharedAsync(file);
            foreach (var secret in new[] { password, passphrase, keyBody })
            {
                Assert.True(bytes.AsSpan().IndexOf(Encoding.UTF8.GetBytes(secret)) < 0, $"{secret[..12]}… found in {file}");
            }
        }

        // The stored ciphertext is bound to its credential: the vault still opens it.
        Assert.Equal(passphrase, (await fixture.Host.GetRequiredService<ICredentialVault>().GetDecryptedAsync(keyed.Data.GetProperty("id").GetInt64())).Passphrase);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(System.IO.Path.Combine(fixture.Host.DataPath, "master.key")));
        }
    }

    [Fact]
    public async Task Secrets_NeverAppearInAnyResponseOrLogLine()
    {
        var password = "never-shown-password-" + Guid.NewGuid().ToString("N");
        var passphrase = "never-shown-passphrase-" + Guid.NewGuid().ToString("N");
        var (key, _) = await TestKeys.OpenSshEd25519Async(passphrase);
        var keyBody = key.Split('\n')[2];
        var bodies = new List<string>();
        async Task<ApiResponse> Track(Task<ApiResponse> call)
        {
            var response = await call;
            bodies.Add(response.Body);
            return response;
        }

        var pw = (await Track(Admin.PostJsonAsync(Path, new { name = Unique("quiet"), username = "root", auth_type = "password", password }))).AssertStatus(HttpStatusCode.Created);
        var id = pw.Data.GetProperty("id").GetInt64();
        await Track(Admin.GetApiAsync($"{Path}/{id}"));
        await Track(Admin.GetApiAsync(Path));
        await Track(Admin.PutJsonAsync($"{Path}/{id}", new { password = password + "-2" }));
        await Track(Admin.PostJsonAsync(Path, new { name = Unique("quiet-key"), username = "root", auth_type = "private_key", private_key = key, passphrase }));
        await Track(Admin.PostJsonAsync(Path, new { name = Unique("quiet-key"), username = "root", auth_type = "private_key", private_key = key, passphrase = passphrase + "x" }));
        await Track(Admin.PostJsonAsync(Path, new { name = Unique("quiet-bad"), username = "root", auth_type = "private_key", private_key = "garbage " + password, passphrase }));
        await Track(Admin.PostJsonAsync(Path, new { name = Unique("quiet-nl"), username = "root", auth_type = "password", password = password + "\nsecond line" }));
        await Track(Admin.PostJsonAsync(Path, "{\"name\":\"quiet-type\",\"username\":\"root\",\"auth_type\":\"password\",\"password\":\"" + password + "\",\"port\":\"" + password + "\"}"));
        await Track(fixture.Client(Role.User).GetApiAsync(Path));

        var logs = fixture.Logs.Lines;
        Assert.Contains(logs, l => l.Contains("/api/v1/automation/credentials", StringComparison.Ordinal));
        foreach (var secret in new[] { password, passphrase, keyBody })
        {
            Assert.All(bodies, body => Assert.DoesNotContain(secret, body, StringComparison.Ordinal));
            Assert.All(logs, line => Assert.DoesNotContain(secret, line, StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task IsDefault_MovesWithinItsScope_AndSelectionPrefersPatternThenClusterThenGlobal()
    {
        var cluster = "scope-" + Guid.NewGuid().ToString("N")[..8];
        var firstGlobal = await CreatePasswordAsync(new { is_default = true });
        var secondGlobal = await CreatePasswordAsync(new { is_default = true });
        var clusterDefault = await CreatePasswordAsync(new { is_default = true, cluster_name = cluster });
        var workers = await CreatePasswordAsync(new { cluster_name = cluster, node_pattern = "worker-*" });

        Assert.False((await Admin.GetApiAsync($"{Path}/{firstGlobal}")).Data.GetProperty("is_default").GetBoolean());
        Assert.True((await Admin.GetApiAsync($"{Path}/{secondGlobal}")).Data.GetProperty("is_default").GetBoolean());
        Assert.True((await Admin.GetApiAsync($"{Path}/{clusterDefault}")).Data.GetProperty("is_default").GetBoolean());

        var credentials = fixture.Host.GetRequiredService<CredentialService>();
        Assert.Equal(workers, await credentials.SelectAsync(cluster, "worker-7"));
        Assert.Equal(clusterDefault, await credentials.SelectAsync(cluster, "master-1"));
        Assert.Equal(secondGlobal, await credentials.SelectAsync("elsewhere", "worker-7"));

        var filtered = (await Admin.GetApiAsync($"{Path}?cluster_name={cluster}")).AssertStatus(HttpStatusCode.OK);
        Assert.Equal(2, filtered.Data.GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task Delete_RemovesTheCredential_AndTheVaultNoLongerFindsIt()
    {
        var id = await CreatePasswordAsync(new { });

        (await Admin.DeleteApiAsync($"{Path}/{id}")).AssertStatus(HttpStatusCode.OK);

        (await Admin.GetApiAsync($"{Path}/{id}")).AssertError(HttpStatusCode.NotFound);
        var error = await Assert.ThrowsAsync<NodeOpsException>(() => fixture.Host.GetRequiredService<ICredentialVault>().GetDecryptedAsync(id));
        Assert.Equal(ErrorKind.NotFound, error.Kind);
        (await Admin.GetApiAsync($"{Path}/abc")).AssertError(HttpStatusCode.BadRequest, "id");
    }

    private async Task<long> CreatePasswordAsync(object extra)
    {
        var body = new Dictionary<string, object?> { ["name"] = Unique("cred"), ["username"] = "root", ["auth_type"] = "password", ["password"] = "p-" + Guid.NewGuid().ToString("N") };
        foreach (var property in extra.GetType().GetProperties())
        {
            body[property.Name] = property.GetValue(extra);
        }

        return (await Admin.PostJsonAsync(Path, body)).AssertStatus(HttpStatusCode.Created).Data.GetProperty("id").GetInt64();
    }

    private static async Task<byte[]> ReadSharedAsync(string file)
    {
        await using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var copy = new MemoryStream();
        await stream.CopyToAsync(copy);
        return copy.ToArray();
    }

    private static string Unique(string prefix) => prefix + "-" + Guid.NewGuid().ToString("N")[..8];
}
