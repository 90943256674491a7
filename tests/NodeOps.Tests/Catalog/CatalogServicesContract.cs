using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using NodeOps.Audit;
using NodeOps.Auth;
using NodeOps.Catalog;
using NodeOps.Catalog.BuiltIn;
using NodeOps.Clusters;
using NodeOps.Credentials;
using NodeOps.Errors;
using NodeOps.Features;
using NodeOps.Secrets;
using NodeOps.Storage;
using NodeOps.Tests.Storage;
using NodeOps.Tests.TestBed;

namespace NodeOps.Tests.Catalog;

/// <summary>
/// The catalog services over one storage adapter; subclasses choose SQLite or Azurite. Each "instance" is its own
/// service provider over the shared store, as several NodeOps processes over one storage account would be.
/// </summary>
public abstract class CatalogServicesContract : IDisposable
{
    private static readonly Actor Tester = new(42, "tester", Role.User);
    private readonly StorageTestHost _storage;
    private readonly List<ServiceProvider> _instances = [];

    // Every instance shares one master key, as instances of one deployment do.
    private readonly AesGcmSecretProtector _protector = new(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));

    protected CatalogServicesContract(StorageTestHost storage)
    {
        _storage = storage;
    }

    private ITableStore Store => _storage.Tables;

    [Fact]
    public async Task Seeding_ByTwoInstancesAtOnce_AndAgainLater_CreatesEveryBuiltinExactlyOnce()
    {
        var first = Instance();
        var second = Instance();

        await Task.WhenAll(SeedAsync(first), SeedAsync(second));
        await SeedAsync(Instance());

        var playbooks = await first.GetRequiredService<PlaybookService>().ListAsync(new CatalogListFilter(IsBuiltin: true), 0, 100);
        var scripts = await first.GetRequiredService<ScriptService>().ListAsync(new CatalogListFilter(IsBuiltin: true), 0, 100);
        var workflows = await first.GetRequiredService<WorkflowService>().ListAsync(new CatalogListFilter(IsBuiltin: true), 0, 100);
        Assert.Equal(BuiltInCatalog.Playbooks.Select(p => p.Name), playbooks.Items.Select(p => p.Name));
        Assert.Equal(BuiltInCatalog.Scripts.Select(s => s.Name), scripts.Items.Select(s => s.Name));
        Assert.Equal(BuiltInCatalog.Workflows.Select(w => w.Name), workflows.Items.Select(w => w.Name));
        Assert.All(playbooks.Items, p => Assert.Equal(1, p.Version));

        var maintenance = await first.GetRequiredService<WorkflowService>().GetAsync(workflows.Items.Single(w => w.Name == "节点维护").Id);
        var upgradeId = maintenance.Definition.Steps!.Single(s => s.Type == "ansible").PlaybookId;
        Assert.Equal("系统升级", (await first.GetRequiredService<PlaybookService>().GetAsync(upgradeId!.Value)).Name);
    }

    [Fact]
    public async Task Seeding_AnUpgrade_ReplacesAnUntouchedBuiltin_ButKeepsAnOperatorsEdit()
    {
        var instance = Instance();
        await SeedAsync(instance);
        var playbooks = instance.GetRequiredService<PlaybookService>();
        var untouched = BuiltInCatalog.Playbooks.Single(p => p.Key == BuiltInCatalog.SecurityPatches);
        var edited = BuiltInCatalog.Playbooks.Single(p => p.Key == BuiltInCatalog.ConfigureTimeSync);
        var editedId = (await playbooks.Store.FindBuiltinIdAsync(edited.Key))!.Value;
        const string operatorsVersion = "- name: Our own time sync\n  hosts: all\n  tasks:\n    - name: Ping\n      ansible.builtin.ping:\n";
        await playbooks.UpdateAsync(editedId, new PlaybookInput(null, null, operatorsVersion, null, null, null), Tester);

        // A newer NodeOps ships new content for both.
        var upgraded = await playbooks.Store.SeedBuiltinAsync(Draft(untouched), untouched.Content + "\n# newer\n", BuiltInSeeder.Actor);
        var kept = await playbooks.Store.SeedBuiltinAsync(Draft(edited), edited.Content + "\n# newer\n", BuiltInSeeder.Actor);

        Assert.Equal(BuiltinSeedOutcome.Upgraded, upgraded.Outcome);
        var current = await playbooks.GetAsync(upgraded.Id!.Value);
        Assert.Equal(2, current.Version);
        Assert.EndsWith("# newer\n", current.Content, StringComparison.Ordinal);
        Assert.Equal(untouched.Content, (await playbooks.GetVersionAsync(current.Id, 1)).Content);

        Assert.Equal(BuiltinSeedOutcome.KeptUserChanges, kept.Outcome);
        Assert.Equal(operatorsVersion, (await playbooks.GetAsync(editedId)).Content);

        // Seeding the same newer content again changes nothing more.
        var again = await playbooks.Store.SeedBuiltinAsync(Draft(untouched), untouched.Content + "\n# newer\n", BuiltInSeeder.Actor);
        Assert.Equal(BuiltinSeedOutcome.Unchanged, again.Outcome);
        Assert.Equal(2, (await playbooks.GetAsync(upgraded.Id!.Value)).Version);
    }

    [Fact]
    public async Task Builtins_CannotBeDeleted()
    {
        var instance = Instance();
        await SeedAsync(instance);
        var id = (await instance.GetRequiredService<ScriptService>().Store.FindBuiltinIdAsync(BuiltInCatalog.SystemInfo))!.Value;

        var error = await Assert.ThrowsAsync<NodeOpsException>(() => instance.GetRequiredService<ScriptService>().DeleteAsync(id, Tester));

        Assert.Equal(ErrorKind.Forbidden, error.Kind);
        Assert.NotNull(await instance.GetRequiredService<ScriptService>().FindAsync(id));
    }

    [Fact]
    public async Task ConcurrentUpdates_FromTwoInstances_EachBecomeTheirOwnVersion()
    {
        var scripts = Instance().GetRequiredService<ScriptService>();
        var other = Instance().GetRequiredService<ScriptService>();
        var created = await scripts.CreateAsync(new ScriptInput("Race " + Guid.NewGuid().ToString("N")[..6], null, "echo 1\n", "shell", null, null, null, null), Tester);

        await Task.WhenAll(
            scripts.UpdateAsync(created.Id, new ScriptInput(null, null, "echo 2\n", null, null, null, null, null), Tester),
            other.UpdateAsync(created.Id, new ScriptInput(null, null, "echo 3\n", null, null, null, null, null), Tester));

        var versions = await scripts.ListVersionsAsync(created.Id, 0, 10);
        Assert.Equal([3, 2, 1], versions.Items.Select(v => v.Version));
        var contents = new List<string>();
        foreach (var version in versions.Items)
        {
            contents.Add((await scripts.GetVersionAsync(created.Id, version.Version)).Content);
        }

        Assert.Equal(["echo 1\n", "echo 2\n", "echo 3\n"], contents.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task ScriptOf1MiB_IsSplitWithinAzureLimits_AndReadsBackWhole_AndDeleteRemovesEveryRow()
    {
        var scripts = Instance().GetRequiredService<ScriptService>();
        var line = "# " + new string('x', 509) + "日志\n"; // 2 CJK characters: 6 UTF-8 bytes in 514 characters
        var content = string.Concat(Enumerable.Repeat(line, 2000));
        Assert.True(System.Text.Encoding.UTF8.GetByteCount(content) <= CatalogRules.MaxContentBytes);

        var created = await scripts.CreateAsync(new ScriptInput("Large " + Guid.NewGuid().ToString("N")[..6], null, content, "shell", null, null, null, null), Tester);

        Assert.Equal(content, (await scripts.GetAsync(created.Id)).Content);
        var partition = "i-" + created.Id.ToString("D19", System.Globalization.CultureInfo.InvariantCulture);
        var rows = await Store.QueryListAsync("scripts", TableQuery.Partition(partition));
        Assert.True(rows.Count >= 2, $"expected the content over several rows, found {rows.Count}");
        LargeTextTests.AssertWithinAzureLimits(rows);

        await scripts.DeleteAsync(created.Id, Tester);
        Assert.Empty(await Store.QueryListAsync("scripts", TableQuery.Partition(partition)));
        Assert.Null(await scripts.FindAsync(created.Id));
    }

    [Fact]
    public async Task Names_AreUniqueIgnoringCase_AcrossInstances()
    {
        var name = "Unique " + Guid.NewGuid().ToString("N")[..6];
        var first = Instance().GetRequiredService<ScriptService>();
        var second = Instance().GetRequiredService<ScriptService>();

        var results = await Task.WhenAll(
            TryCreateAsync(first, name),
            TryCreateAsync(second, name.ToUpperInvariant()));

        Assert.Equal(1, results.Count(created => created));
        Assert.Equal(1, (await first.ListAsync(new CatalogListFilter(), 0, 100)).Items.Count(s => string.Equals(s.Name, name, StringComparison.OrdinalIgnoreCase)));
    }

    [Fact]
    public async Task Cluster_WithAKubeconfigLargerThanOneProperty_RoundTripsEncrypted_AndResolvesNodes()
    {
        var instance = Instance();
        var clusters = instance.GetRequiredService<ClusterService>();
        var token = "token-" + Guid.NewGuid().ToString("N");
        var kubeconfig = "apiVersion: v1\nkind: Config\nclusters:\n- name: big\n  cluster:\n    server: https://127.0.0.1:6443\n    certificate-authority-data: "
            + new string('Q', 80_000) + "\ncontexts:\n- name: big\n  context:\n    cluster: big\n    user: big\nusers:\n- name: big\n  user:\n    token: " + token + "\n";
        var nodes = Enumerable.Range(1, 300).Select(i => new ClusterNode($"worker-{i:D3}", $"10.0.{i / 256}.{i % 256}", 22, new Dictionary<string, string> { ["pool"] = "p" + (i % 3) })).ToList();
        var name = "big-" + Guid.NewGuid().ToString("N")[..6];

        await clusters.CreateAsync(new ClusterInput(name, null, kubeconfig, nodes, null, true), Tester);

        Assert.Equal(kubeconfig, await instance.GetRequiredService<IKubeconfigSource>().GetKubeconfigAsync(null));
        var resolved = await Instance().GetRequiredService<INodeResolver>().ResolveAsync(name, ["worker-300", "worker-001"]);
        Assert.Equal(["10.0.1.44", "10.0.0.1"], resolved.Select(n => n.Address));
        var rows = await Store.QueryListAsync("clusters", new TableQuery());
        LargeTextTests.AssertWithinAzureLimits(rows);
        Assert.DoesNotContain(rows.SelectMany(r => r.Properties.Values).OfType<string>(), v => v.Contains(token, StringComparison.Ordinal));
    }

    [Fact]
    public async Task KubeconfigForNoName_IsTheOnlyClustersOrTheDefaults_ElseNone()
    {
        var instance = Instance();
        var clusters = instance.GetRequiredService<ClusterService>();
        var source = instance.GetRequiredService<IKubeconfigSource>();
        const string kubeconfig = "clusters:\n- name: one\n  cluster:\n    server: https://127.0.0.1:6443\ncontexts:\n- name: one\n  context:\n    cluster: one\n";
        Assert.Null(await source.GetKubeconfigAsync(null));

        await clusters.CreateAsync(new ClusterInput("only", null, kubeconfig, null, null, false), Tester);
        Assert.Equal(kubeconfig, await source.GetKubeconfigAsync(null));

        await clusters.CreateAsync(new ClusterInput("second", null, kubeconfig.Replace("one", "two", StringComparison.Ordinal), null, null, false), Tester);
        Assert.Null(await source.GetKubeconfigAsync(null));

        await clusters.UpdateAsync("second", new ClusterInput(null, null, null, null, null, true), Tester);
        Assert.Contains("two", await source.GetKubeconfigAsync(null), StringComparison.Ordinal);
        var missing = await Assert.ThrowsAsync<NodeOpsException>(() => source.GetKubeconfigAsync("absent"));
        Assert.Equal(ErrorKind.NotFound, missing.Kind);
    }

    [Fact]
    public async Task Credential_IsStoredEncrypted_AndTheVaultDecryptsIt()
    {
        var instance = Instance();
        var password = "pw-" + Guid.NewGuid().ToString("N");

        var created = await instance.GetRequiredService<CredentialService>().CreateAsync(
            new CredentialInput("cred-" + Guid.NewGuid().ToString("N")[..6], null, "root", CredentialAuthType.Password, password, null, null, 22, null, null, true), Tester);

        Assert.Equal(password, (await Instance().GetRequiredService<ICredentialVault>().GetDecryptedAsync(created.Id)).Password);
        var rows = await Store.QueryListAsync("credentials", new TableQuery());
        Assert.DoesNotContain(rows.SelectMany(r => r.Properties.Values).OfType<string>(), v => v.Contains(password, StringComparison.Ordinal));
    }

    public void Dispose()
    {
        foreach (var instance in _instances)
        {
            instance.Dispose();
        }

        _storage.Dispose();
        GC.SuppressFinalize(this);
    }

    private static async Task<bool> TryCreateAsync(ScriptService scripts, string name)
    {
        try
        {
            await scripts.CreateAsync(new ScriptInput(name, null, "echo hi\n", "shell", null, null, null, null), Tester);
            return true;
        }
        catch (NodeOpsException ex) when (ex.Kind == ErrorKind.Conflict)
        {
            return false;
        }
    }

    private static CatalogEntry Draft(BuiltInPlaybook playbook) => new()
    {
        Name = playbook.Name,
        Description = playbook.Description,
        Category = playbook.Category,
        Tags = playbook.Tags,
        BuiltinKey = playbook.Key,
    };

    private static Task SeedAsync(ServiceProvider instance) =>
        instance.GetServices<IHostedService>().OfType<BuiltInSeeder>().Single().StartAsync(CancellationToken.None);

    private ServiceProvider Instance()
    {
        var services = new ServiceCollection();
        services.AddLogging();
        // Options bind from configuration, as in the host; empty here, so every default applies.
        services.AddSingleton<Microsoft.Extensions.Configuration.IConfiguration>(new Microsoft.Extensions.Configuration.ConfigurationBuilder().Build());
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(Store);
        services.AddSingleton<SequenceGenerator>();
        services.AddSingleton<AuditLog>();
        services.AddSingleton<FeatureService>();
        services.AddSingleton<ISecretProtector>(_protector);
        services.AddCatalog();
        services.AddClusters();
        services.AddCredentials();
        var provider = services.BuildServiceProvider();
        _instances.Add(provider);
        return provider;
    }
}
