using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using NodeOps.Catalog;
using NodeOps.Clusters;
using NodeOps.Credentials;
using NodeOps.Errors;

namespace NodeOps.Tests.TestBed;

/// <summary>
/// A small in-test catalog behind the real contracts (nodes, credentials, scripts, playbooks), pointing at the sshd fixture.
/// It can be written to a file (0600, in the test's temp folder) so a NodeOps child process uses the same catalog.
/// </summary>
public sealed class FixtureCatalog : INodeResolver, ICredentialVault, ICatalogSource
{
    public const long KeyCredentialId = 1;
    public const long PasswordCredentialId = 2;

    private static readonly JsonSerializerOptions FileJson = new() { WriteIndented = false };

    public Dictionary<string, List<ResolvedNode>> Clusters { get; init; } = new(StringComparer.Ordinal);

    public Dictionary<long, SshCredential> Credentials { get; init; } = [];

    public Dictionary<long, ScriptSnapshot> Scripts { get; init; } = [];

    public Dictionary<long, PlaybookSnapshot> Playbooks { get; init; } = [];

    /// <summary>A catalog with one cluster holding every fixture node and the key credential.</summary>
    public static FixtureCatalog For(SshdFixture sshd, string clusterName = "test")
    {
        ArgumentNullException.ThrowIfNull(sshd);
        var catalog = new FixtureCatalog();
        catalog.AddCluster(clusterName, sshd.Nodes);
        catalog.Credentials[KeyCredentialId] = new SshCredential(KeyCredentialId, "fixture-key", sshd.User, CredentialAuthType.PrivateKey, 22, null, sshd.ClientPrivateKey, null);
        catalog.Credentials[PasswordCredentialId] = new SshCredential(PasswordCredentialId, "fixture-password", sshd.User, CredentialAuthType.Password, 22, sshd.Password, null, null);
        return catalog;
    }

    public FixtureCatalog AddCluster(string name, IEnumerable<SshdNode> nodes)
    {
        Clusters[name] = nodes.Select(n => new ResolvedNode(n.Name, n.Address, n.Port, new Dictionary<string, string> { ["role"] = "worker" })).ToList();
        return this;
    }

    public FixtureCatalog AddScript(long id, string name, string language, string content, params ScriptParameter[] parameters)
    {
        Scripts[id] = new ScriptSnapshot(id, name, language, content, 1, parameters);
        return this;
    }

    public FixtureCatalog AddPlaybook(long id, string name, string content, int version = 1)
    {
        Playbooks[id] = new PlaybookSnapshot(id, name, content, version);
        return this;
    }

    /// <summary>Registers this catalog for the three contracts, replacing whatever was there.</summary>
    public void Register(IServiceCollection services)
    {
        services.RemoveAll<INodeResolver>();
        services.RemoveAll<ICredentialVault>();
        services.RemoveAll<ICatalogSource>();
        services.AddSingleton<INodeResolver>(this);
        services.AddSingleton<ICredentialVault>(this);
        services.AddSingleton<ICatalogSource>(this);
    }

    public Task<IReadOnlyList<ResolvedNode>> ResolveAsync(string clusterName, IReadOnlyList<string> nodeNames, CancellationToken cancellationToken = default)
    {
        if (!Clusters.TryGetValue(clusterName, out var nodes))
        {
            throw NodeOpsException.NotFound($"集群 {clusterName} 不存在");
        }

        var unknown = nodeNames.Where(n => nodes.All(x => x.Name != n)).ToList();
        if (unknown.Count > 0)
        {
            throw NodeOpsException.Invalid("target_nodes", "节点不存在: " + string.Join(", ", unknown));
        }

        return Task.FromResult<IReadOnlyList<ResolvedNode>>(nodeNames.Select(n => nodes.First(x => x.Name == n)).ToList());
    }

    public Task<SshCredential> GetDecryptedAsync(long id, CancellationToken cancellationToken = default) =>
        Credentials.TryGetValue(id, out var credential)
            ? Task.FromResult(credential)
            : throw NodeOpsException.NotFound($"凭据 ID {id} 不存在");

    public Task<ScriptSnapshot?> FindScriptAsync(long id, CancellationToken cancellationToken = default) =>
        Task.FromResult(Scripts.GetValueOrDefault(id));

    public Task<PlaybookSnapshot?> FindPlaybookAsync(long id, CancellationToken cancellationToken = default) =>
        Task.FromResult(Playbooks.GetValueOrDefault(id));

    public void Save(string path)
    {
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using var stream = new FileStream(path, options);
        JsonSerializer.Serialize(stream, new Snapshot(Clusters, Credentials, Scripts, Playbooks), FileJson);
    }

    public static FixtureCatalog Load(string path)
    {
        var snapshot = JsonSerializer.Deserialize<Snapshot>(File.ReadAllText(path), FileJson) ?? throw new InvalidDataException(path);
        return new FixtureCatalog { Clusters = snapshot.Clusters, Credentials = snapshot.Credentials, Scripts = snapshot.Scripts, Playbooks = snapshot.Playbooks ?? [] };
    }

    private sealed record Snapshot(
        Dictionary<string, List<ResolvedNode>> Clusters,
        Dictionary<long, SshCredential> Credentials,
        Dictionary<long, ScriptSnapshot> Scripts,
        Dictionary<long, PlaybookSnapshot>? Playbooks);
}
