using System.Security.Cryptography;
using System.Text;
using NodeOps.Errors;
using NodeOps.Storage;

namespace NodeOps.Auth;

public sealed record ApiKeyRecord(string Id, string Name, Role Role, string SecretHash, long CreatedBy, DateTimeOffset CreatedAt, DateTimeOffset? RevokedAt);

public sealed record ApiKeyView(string Id, string Name, Role Role, long CreatedBy, DateTimeOffset CreatedAt, DateTimeOffset? RevokedAt)
{
    public static ApiKeyView From(ApiKeyRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return new(record.Id, record.Name, record.Role, record.CreatedBy, record.CreatedAt, record.RevokedAt);
    }
}

/// <summary>
/// API keys look like "nok_{id}_{secret}". Only a SHA-256 of the secret is stored: the secret is 256 random bits,
/// so a slow hash adds nothing, and every request can afford the check.
/// </summary>
public sealed class ApiKeyService(ITableStore store, TimeProvider time)
{
    private const string Table = "apikeys";
    private const string Partition = "keys";
    private const string Prefix = "nok_";

    /// <summary>Creates a key and returns the only copy of its full text.</summary>
    public async Task<(ApiKeyView Key, string Secret)> CreateAsync(string name, Role role, Actor creator, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(creator);
        if (string.IsNullOrWhiteSpace(name) || name.Length > 100 || name.Any(char.IsControl))
        {
            throw NodeOpsException.Invalid("name", "名称须为 1-100 个字符且不含控制字符");
        }

        var id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
        var secret = Base64Url(RandomNumberGenerator.GetBytes(32));
        var record = new ApiKeyRecord(id, name, role, HashSecret(secret), creator.UserId, time.GetUtcNow(), null);
        await store.InsertAsync(Table, DocumentTable.ToEntity(Partition, id, record), cancellationToken).ConfigureAwait(false);
        return (ApiKeyView.From(record), $"{Prefix}{id}_{secret}");
    }

    public async Task<IReadOnlyList<ApiKeyView>> ListAsync(CancellationToken cancellationToken = default)
    {
        var entities = await store.QueryListAsync(Table, TableQuery.Partition(Partition), cancellationToken).ConfigureAwait(false);
        return entities.Select(e => ApiKeyView.From(DocumentTable.FromEntity<ApiKeyRecord>(e))).OrderBy(k => k.CreatedAt).ToList();
    }

    public async Task RevokeAsync(string id, CancellationToken cancellationToken = default)
    {
        var entity = await store.GetAsync(Table, Partition, SafeId(id), cancellationToken).ConfigureAwait(false)
            ?? throw NodeOpsException.NotFound($"API Key {id} 不存在");
        var record = DocumentTable.FromEntity<ApiKeyRecord>(entity);
        if (record.RevokedAt is not null)
        {
            return;
        }

        await store.ReplaceAsync(Table, DocumentTable.ToEntity(Partition, record.Id, record with { RevokedAt = time.GetUtcNow() }), entity.ETag, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The key's record when the presented text is a live key; null otherwise.</summary>
    public async Task<ApiKeyRecord?> VerifyAsync(string presented, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrEmpty(presented) || !presented.StartsWith(Prefix, StringComparison.Ordinal) || presented.Length > 200)
        {
            return null;
        }

        var rest = presented[Prefix.Length..];
        var separator = rest.IndexOf('_', StringComparison.Ordinal);
        if (separator != 16)
        {
            return null;
        }

        var id = rest[..separator];
        if (!id.All(char.IsAsciiHexDigitLower))
        {
            return null;
        }

        var entity = await store.GetAsync(Table, Partition, id, cancellationToken).ConfigureAwait(false);
        if (entity is null)
        {
            return null;
        }

        var record = DocumentTable.FromEntity<ApiKeyRecord>(entity);
        var matches = CryptographicOperations.FixedTimeEquals(
            Encoding.ASCII.GetBytes(HashSecret(rest[(separator + 1)..])), Encoding.ASCII.GetBytes(record.SecretHash));
        return matches && record.RevokedAt is null ? record : null;
    }

    private static string SafeId(string id) =>
        id.Length == 16 && id.All(char.IsAsciiHexDigitLower) ? id : throw NodeOpsException.BadRequest("id", "API Key id 格式不正确");

    private static string HashSecret(string secret) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
