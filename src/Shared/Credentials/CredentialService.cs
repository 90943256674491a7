using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using NodeOps.Audit;
using NodeOps.Auth;
using NodeOps.Catalog;
using NodeOps.Clusters;
using NodeOps.Errors;
using NodeOps.Secrets;
using NodeOps.Storage;

namespace NodeOps.Credentials;

/// <summary>
/// SSH credentials. Secrets are encrypted with AES-256-GCM (<see cref="ISecretProtector"/>) under a purpose that names
/// the credential and the kind of secret, so a ciphertext copied to another row or field does not decrypt. They are
/// stored as their own properties of the credential's row (never in its JSON document), are never returned, logged
/// or put in an error, and are decrypted only by <see cref="GetDecryptedAsync"/> for a run.
/// All rows share one partition, so a name reservation or a change of the default moves in one atomic batch.
/// </summary>
internal sealed partial class CredentialService(
    ITableStore store, SequenceGenerator sequences, ISecretProtector protector, PrivateKeyInspector inspector, TimeProvider time, AuditLog audit)
    : ICredentialVault
{
    public const int MaxPasswordLength = 1024;
    private const string Table = "credentials";
    private const string Partition = "creds";
    private const string SecretProperty = "secret";
    private const string PassphraseProperty = "passphrase";
    private const string ScopeProperty = "scope";
    private const string GlobalScope = "*";
    private const int MaxAttempts = 10;

    public async Task<(int Total, IReadOnlyList<Credential> Items)> ListAsync(string? clusterName, int skip, int take, CancellationToken cancellationToken = default)
    {
        var all = await LoadAllAsync(cancellationToken).ConfigureAwait(false);
        var matching = all.Where(c => clusterName is null || c.Record.ClusterName == clusterName).ToList();
        return (matching.Count, matching.Skip(skip).Take(take).Select(c => c.Record.ToView(c.HasSecret)).ToList());
    }

    public async Task<Credential?> FindAsync(long id, CancellationToken cancellationToken = default)
    {
        var entity = await store.GetAsync(Table, Partition, IdRow(id), cancellationToken).ConfigureAwait(false);
        return entity is null ? null : FromEntity(entity).ToView(HasSecret(entity));
    }

    public async Task<Credential> GetAsync(long id, CancellationToken cancellationToken = default) =>
        await FindAsync(id, cancellationToken).ConfigureAwait(false) ?? throw NotFound(id);

    public async Task<SshCredential> GetDecryptedAsync(long id, CancellationToken cancellationToken = default)
    {
        var entity = await store.GetAsync(Table, Partition, IdRow(id), cancellationToken).ConfigureAwait(false) ?? throw NotFound(id);
        var record = FromEntity(entity);
        var secret = Decrypt(entity, SecretProperty, record.AuthType == CredentialAuthType.Password ? "password" : "private_key", id);
        var passphrase = Decrypt(entity, PassphraseProperty, "passphrase", id);
        return record.AuthType == CredentialAuthType.Password
            ? new SshCredential(id, record.Name, record.Username, record.AuthType, record.Port, secret, null, null)
            : new SshCredential(id, record.Name, record.Username, record.AuthType, record.Port, null, secret, passphrase);
    }

    /// <summary>
    /// The credential a run should use on a node when the request names none: the cluster's credential whose
    /// node_pattern matches the node, else the cluster's default, else the global default. Null when none applies.
    /// </summary>
    public async Task<long?> SelectAsync(string? clusterName, string? nodeName, CancellationToken cancellationToken = default)
    {
        var all = (await LoadAllAsync(cancellationToken).ConfigureAwait(false)).Select(c => c.Record).ToList();
        var byPattern = all
            .Where(c => clusterName is not null && c.ClusterName == clusterName && c.NodePattern is not null && nodeName is not null && Matches(c.NodePattern, nodeName))
            .OrderByDescending(c => c.NodePattern!.Length)
            .ThenBy(c => c.Id)
            .FirstOrDefault();
        return byPattern?.Id
            ?? all.FirstOrDefault(c => c.IsDefault && clusterName is not null && c.ClusterName == clusterName)?.Id
            ?? all.FirstOrDefault(c => c.IsDefault && c.ClusterName is null)?.Id;
    }

    public async Task<Credential> CreateAsync(CredentialInput input, Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(actor);
        var errors = new List<FieldError>();
        CheckFields(input, creating: true, errors);
        var authType = input.AuthType ?? CredentialAuthType.Password;
        CheckSecretsFor(authType, input, creating: true, errors);
        NodeOpsException.ThrowIfAny(errors);

        var key = authType == CredentialAuthType.PrivateKey
            ? await inspector.InspectAsync(input.PrivateKey!, NullIfEmpty(input.Passphrase), cancellationToken).ConfigureAwait(false)
            : null;
        var id = await sequences.NextAsync("credential", cancellationToken).ConfigureAwait(false);
        var now = time.GetUtcNow();
        var record = new CredentialRecord(
            id, input.Name!, NullIfEmpty(input.Description), input.Username!, authType, input.Port ?? 22, NullIfEmpty(input.ClusterName), NullIfEmpty(input.NodePattern),
            input.IsDefault ?? false, key?.Encrypted ?? false, key?.KeyType, key?.Fingerprint, key?.PublicKey, now, now, actor.DisplayName, actor.DisplayName);
        var entity = ToEntity(record);
        entity[SecretProperty] = authType == CredentialAuthType.Password
            ? protector.Protect(input.Password!, Purpose(id, "password"))
            : protector.Protect(PrivateKeyInspector.Normalize(input.PrivateKey!), Purpose(id, "private_key"));
        if (key?.Encrypted == true)
        {
            entity[PassphraseProperty] = protector.Protect(input.Passphrase!, Purpose(id, "passphrase"));
        }

        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            var operations = new List<TableOperation>
            {
                TableOperation.Insert(entity),
                TableOperation.Insert(new TableEntity(Partition, NameRow(record.Name)) { ["credential_id"] = id }),
            };
            operations.AddRange(await ClearOtherDefaultsAsync(record, cancellationToken).ConfigureAwait(false));
            try
            {
                await store.ExecuteBatchAsync(Table, operations, cancellationToken).ConfigureAwait(false);
            }
            catch (BatchFailedException ex) when (ex.FailedIndex == 1)
            {
                throw NodeOpsException.Conflict($"凭据名称 {record.Name} 已存在", "name");
            }
            catch (BatchFailedException)
            {
                // Another default changed in between; look again.
                continue;
            }

            await audit.RecordAsync("credentials", "create", actor.DisplayName, Describe(record), cancellationToken).ConfigureAwait(false);
            return record.ToView(hasSecret: true);
        }

        throw NodeOpsException.Conflict("凭据正被并发修改，请重试");
    }

    /// <summary>Changes fields and, when given, rotates the secret; the id stays the same.</summary>
    public async Task<Credential> UpdateAsync(long id, CredentialInput input, Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(actor);
        var errors = new List<FieldError>();
        CheckFields(input, creating: false, errors);
        NodeOpsException.ThrowIfAny(errors);

        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            var entity = await store.GetAsync(Table, Partition, IdRow(id), cancellationToken).ConfigureAwait(false) ?? throw NotFound(id);
            var current = FromEntity(entity);
            var authType = input.AuthType ?? current.AuthType;
            CheckSecretsFor(authType, input, creating: authType != current.AuthType, errors);
            NodeOpsException.ThrowIfAny(errors);

            var updated = current with
            {
                Name = input.Name ?? current.Name,
                Description = input.Description is null ? current.Description : NullIfEmpty(input.Description),
                Username = input.Username ?? current.Username,
                AuthType = authType,
                Port = input.Port ?? current.Port,
                ClusterName = input.ClusterName is null ? current.ClusterName : NullIfEmpty(input.ClusterName),
                NodePattern = input.NodePattern is null ? current.NodePattern : NullIfEmpty(input.NodePattern),
                IsDefault = input.IsDefault ?? current.IsDefault,
                UpdatedAt = time.GetUtcNow(),
                UpdatedBy = actor.DisplayName,
            };
            var next = ToEntity(updated);
            next[SecretProperty] = entity[SecretProperty];
            next[PassphraseProperty] = entity[PassphraseProperty];
            var rotated = await RotateAsync(id, authType, input, entity, next, cancellationToken).ConfigureAwait(false);
            if (rotated is not null)
            {
                updated = updated with { HasPassphrase = rotated.Encrypted, KeyType = rotated.KeyType, KeyFingerprint = rotated.Fingerprint, PublicKey = rotated.PublicKey };
            }
            else if (authType == CredentialAuthType.Password)
            {
                updated = updated with { HasPassphrase = false, KeyType = null, KeyFingerprint = null, PublicKey = null };
            }

            var document = ToEntity(updated);
            foreach (var (name, value) in document.Properties)
            {
                next[name] = value;
            }

            var operations = new List<TableOperation> { TableOperation.Replace(next, entity.ETag) };
            if (NameRow(updated.Name) != NameRow(current.Name))
            {
                operations.Add(TableOperation.Insert(new TableEntity(Partition, NameRow(updated.Name)) { ["credential_id"] = id }));
                operations.Add(TableOperation.Delete(new TableEntity(Partition, NameRow(current.Name)), "*"));
            }

            operations.AddRange(await ClearOtherDefaultsAsync(updated, cancellationToken).ConfigureAwait(false));
            try
            {
                await store.ExecuteBatchAsync(Table, operations, cancellationToken).ConfigureAwait(false);
            }
            catch (BatchFailedException ex) when (ex.FailedIndex == 1 && operations.Count > 1 && operations[1].Kind == TableOperationKind.Insert)
            {
                throw NodeOpsException.Conflict($"凭据名称 {updated.Name} 已存在", "name");
            }
            catch (BatchFailedException)
            {
                continue;
            }

            var action = rotated is not null || input.Password is not null ? "rotate" : "update";
            await audit.RecordAsync("credentials", action, actor.DisplayName, Describe(updated), cancellationToken).ConfigureAwait(false);
            return updated.ToView(hasSecret: next[SecretProperty] is string);
        }

        throw NodeOpsException.Conflict($"凭据 {id} 正被并发修改，请重试");
    }

    public async Task DeleteAsync(long id, Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            var entity = await store.GetAsync(Table, Partition, IdRow(id), cancellationToken).ConfigureAwait(false) ?? throw NotFound(id);
            var record = FromEntity(entity);
            try
            {
                await store.ExecuteBatchAsync(Table,
                [
                    TableOperation.Delete(new TableEntity(Partition, IdRow(id)), entity.ETag),
                    TableOperation.Delete(new TableEntity(Partition, NameRow(record.Name)), "*"),
                ], cancellationToken).ConfigureAwait(false);
            }
            catch (BatchFailedException)
            {
                continue;
            }

            await audit.RecordAsync("credentials", "delete", actor.DisplayName, Describe(record), cancellationToken).ConfigureAwait(false);
            return;
        }

        throw NodeOpsException.Conflict($"凭据 {id} 正被并发修改，请重试");
    }

    /// <summary>Checks a credential id a caller wants to refer to (e.g. a cluster's default credential).</summary>
    public async Task<bool> ExistsAsync(long id, CancellationToken cancellationToken = default) =>
        await store.GetAsync(Table, Partition, IdRow(id), cancellationToken).ConfigureAwait(false) is not null;

    /// <summary>Puts a new secret into <paramref name="next"/> when the request carries one. Returns the checked key, if any.</summary>
    private async Task<PrivateKeyInfo?> RotateAsync(long id, CredentialAuthType authType, CredentialInput input, TableEntity current, TableEntity next, CancellationToken cancellationToken)
    {
        if (authType == CredentialAuthType.Password)
        {
            if (input.Password is not null)
            {
                next[SecretProperty] = protector.Protect(input.Password, Purpose(id, "password"));
                next[PassphraseProperty] = null;
            }

            return null;
        }

        if (input.PrivateKey is null && input.Passphrase is null)
        {
            return null;
        }

        // A new passphrase alone re-checks the stored key against it (the key was re-encrypted elsewhere).
        var key = input.PrivateKey ?? Decrypt(current, SecretProperty, "private_key", id)
            ?? throw NodeOpsException.Invalid("private_key", "需要提供 private_key");
        var info = await inspector.InspectAsync(key, NullIfEmpty(input.Passphrase), cancellationToken).ConfigureAwait(false);
        next[SecretProperty] = protector.Protect(PrivateKeyInspector.Normalize(key), Purpose(id, "private_key"));
        next[PassphraseProperty] = info.Encrypted ? protector.Protect(input.Passphrase!, Purpose(id, "passphrase")) : null;
        return info;
    }

    private async Task<List<TableOperation>> ClearOtherDefaultsAsync(CredentialRecord record, CancellationToken cancellationToken)
    {
        var operations = new List<TableOperation>();
        if (!record.IsDefault)
        {
            return operations;
        }

        var query = TableQuery.Partition(Partition).WithRowKeyPrefix("id-")
            .Where("is_default", FilterOperator.Equal, true)
            .Where(ScopeProperty, FilterOperator.Equal, record.ClusterName ?? GlobalScope);
        foreach (var entity in await store.QueryListAsync(Table, query, cancellationToken).ConfigureAwait(false))
        {
            var other = FromEntity(entity);
            if (other.Id == record.Id)
            {
                continue;
            }

            var cleared = ToEntity(other with { IsDefault = false });
            cleared[SecretProperty] = entity[SecretProperty];
            cleared[PassphraseProperty] = entity[PassphraseProperty];
            operations.Add(TableOperation.Replace(cleared, entity.ETag));
        }

        return operations;
    }

    private static void CheckFields(CredentialInput input, bool creating, List<FieldError> errors)
    {
        if (creating || input.Name is not null)
        {
            CatalogRules.CheckName(input.Name, errors);
        }

        CatalogRules.CheckDescription(input.Description, errors);
        if (creating || input.Username is not null)
        {
            if (string.IsNullOrEmpty(input.Username) || !UsernameRegex().IsMatch(input.Username))
            {
                errors.Add(new FieldError("username", "用户名只能包含字母、数字、_ . @ -，不能以 - 开头，最多 64 个字符"));
            }
        }

        if (input.Port is { } port && port is < 1 or > 65535)
        {
            errors.Add(new FieldError("port", "port 必须在 1 到 65535 之间"));
        }

        if (!string.IsNullOrEmpty(input.ClusterName) && !ClusterNames.IsValidClusterName(input.ClusterName))
        {
            errors.Add(new FieldError("cluster_name", ClusterNames.ClusterNameRule));
        }

        if (!string.IsNullOrEmpty(input.NodePattern) && !NodePatternRegex().IsMatch(input.NodePattern))
        {
            errors.Add(new FieldError("node_pattern", "node_pattern 是节点名的通配模式，只能包含字母、数字、. _ - 和 * ?，最多 253 个字符"));
        }
    }

    /// <summary>The secret fields must fit the auth type; creating (or switching type) needs the secret itself.</summary>
    private static void CheckSecretsFor(CredentialAuthType authType, CredentialInput input, bool creating, List<FieldError> errors)
    {
        if (authType == CredentialAuthType.Password)
        {
            if (input.PrivateKey is not null)
            {
                errors.Add(new FieldError("private_key", "auth_type 为 password 时不能提供 private_key"));
            }

            if (input.Passphrase is not null)
            {
                errors.Add(new FieldError("passphrase", "auth_type 为 password 时不能提供 passphrase"));
            }

            if ((creating || input.Password is not null) && string.IsNullOrEmpty(input.Password))
            {
                errors.Add(new FieldError("password", "auth_type 为 password 时需要提供 password"));
            }
            else if (input.Password is not null && (input.Password.Length > MaxPasswordLength || input.Password.Any(c => c is '\0' or '\n' or '\r')))
            {
                errors.Add(new FieldError("password", $"password 最多 {MaxPasswordLength} 个字符，且不能包含换行或 NUL"));
            }

            return;
        }

        if (input.Password is not null)
        {
            errors.Add(new FieldError("password", "auth_type 为 private_key 时不能提供 password"));
        }

        if ((creating || input.PrivateKey is not null) && string.IsNullOrWhiteSpace(input.PrivateKey))
        {
            errors.Add(new FieldError("private_key", "auth_type 为 private_key 时需要提供 private_key"));
        }
    }

    private string? Decrypt(TableEntity entity, string property, string kind, long id)
    {
        if (entity.GetString(property) is not { } ciphertext)
        {
            return null;
        }

        try
        {
            return protector.Unprotect(ciphertext, Purpose(id, kind));
        }
        catch (CryptographicException)
        {
            // Say which credential, never anything about the value.
            throw new NodeOpsException(ErrorKind.Unavailable, $"凭据 {id} 的密文无法解密：主密钥不匹配或数据已损坏");
        }
    }

    private async Task<List<(CredentialRecord Record, bool HasSecret)>> LoadAllAsync(CancellationToken cancellationToken)
    {
        var entities = await store.QueryListAsync(Table, TableQuery.Partition(Partition).WithRowKeyPrefix("id-"), cancellationToken).ConfigureAwait(false);
        return entities.Select(e => (FromEntity(e), HasSecret(e))).OrderBy(c => c.Item1.Id).ToList();
    }

    /// <summary>Glob match of a node name: * for any run of characters, ? for one.</summary>
    internal static bool Matches(string pattern, string nodeName) =>
        Regex.IsMatch(nodeName, "^" + Regex.Escape(pattern).Replace("\\*", ".*", StringComparison.Ordinal).Replace("\\?", ".", StringComparison.Ordinal) + "$",
            RegexOptions.CultureInvariant, TimeSpan.FromMilliseconds(100));

    private static bool HasSecret(TableEntity entity) => entity.GetString(SecretProperty) is not null;

    private static CredentialRecord FromEntity(TableEntity entity) => DocumentTable.FromEntity<CredentialRecord>(entity);

    private static TableEntity ToEntity(CredentialRecord record) => DocumentTable.ToEntity(Partition, IdRow(record.Id), record, new Dictionary<string, object?>
    {
        ["is_default"] = record.IsDefault,
        [ScopeProperty] = record.ClusterName ?? GlobalScope,
    });

    private static string Purpose(long id, string kind) => $"credential:{id.ToString(CultureInfo.InvariantCulture)}:{kind}";

    private static string Describe(CredentialRecord record) => $"{record.Id} {record.Name} ({record.AuthType}, {record.Username})";

    private static NodeOpsException NotFound(long id) => NodeOpsException.NotFound($"凭据 ID {id} 不存在");

    private static string? NullIfEmpty(string? text) => string.IsNullOrEmpty(text) ? null : text;

    private static string IdRow(long id) => "id-" + id.ToString("D19", CultureInfo.InvariantCulture);

    private static string NameRow(string name) =>
        "name-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(name.Normalize(NormalizationForm.FormC).ToLowerInvariant())));

    [GeneratedRegex("^[A-Za-z0-9_.@][A-Za-z0-9_.@-]{0,63}$")]
    private static partial Regex UsernameRegex();

    [GeneratedRegex("^[A-Za-z0-9._*?-]{1,253}$")]
    private static partial Regex NodePatternRegex();
}
