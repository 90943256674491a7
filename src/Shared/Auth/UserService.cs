using System.Globalization;
using System.Security.Cryptography;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NodeOps.Errors;
using NodeOps.Storage;

namespace NodeOps.Auth;

/// <summary>
/// Users live in one partition: an "id-" row holds the account and a "name-" row reserves the user name.
/// Both are written in one batch, so two instances can never create the same name twice.
/// </summary>
public sealed partial class UserService(
    ITableStore store, SequenceGenerator sequences, PasswordHashGate hashGate, TimeProvider time, IOptions<AuthOptions> options, ILogger<UserService> logger)
{
    private const string Table = "users";
    private const string Partition = "users";

    /// <summary>Checked in place of a missing account's hash, at the configured cost, so unknown names take as long as known ones.</summary>
    private readonly string _decoyHash = PasswordHasher.Decoy(options.Value.PasswordIterations);

    public async Task<UserAccount> CreateAsync(string username, string password, Role role, CancellationToken cancellationToken = default)
    {
        ValidateUsername(username);
        ValidatePassword(password);
        var id = await sequences.NextAsync("user", cancellationToken).ConfigureAwait(false);
        var now = time.GetUtcNow();
        var hash = await HashAsync(password, cancellationToken).ConfigureAwait(false);
        var account = new UserAccount(id, username, role, hash, false, now, now);
        try
        {
            await store.ExecuteBatchAsync(Table,
            [
                TableOperation.Insert(ToEntity(account)),
                TableOperation.Insert(new TableEntity(Partition, NameRow(username)) { ["user_id"] = id }),
            ], cancellationToken).ConfigureAwait(false);
        }
        catch (BatchFailedException)
        {
            throw NodeOpsException.Conflict($"用户名 {username} 已存在", "username");
        }

        return account;
    }

    public async Task<UserAccount?> FindByIdAsync(long id, CancellationToken cancellationToken = default)
    {
        var entity = await store.GetAsync(Table, Partition, IdRow(id), cancellationToken).ConfigureAwait(false);
        return entity is null ? null : DocumentTable.FromEntity<UserAccount>(entity);
    }

    public async Task<UserAccount?> FindByNameAsync(string username, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrEmpty(username) || username.Length > 64 || !UsernameRegex().IsMatch(username))
        {
            return null;
        }

        var reservation = await store.GetAsync(Table, Partition, NameRow(username), cancellationToken).ConfigureAwait(false);
        var id = reservation?.GetInt64("user_id");
        return id is null ? null : await FindByIdAsync(id.Value, cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<UserAccount>> ListAsync(CancellationToken cancellationToken = default)
    {
        var entities = await store.QueryListAsync(Table, TableQuery.Partition(Partition).WithRowKeyPrefix("id-"), cancellationToken).ConfigureAwait(false);
        return entities.Select(DocumentTable.FromEntity<UserAccount>).OrderBy(u => u.Id).ToList();
    }

    /// <summary>Checks a user name and password; null when either is wrong or the account is disabled.</summary>
    public async Task<UserAccount?> VerifyAsync(string username, string password, CancellationToken cancellationToken = default)
    {
        var account = await FindByNameAsync(username, cancellationToken).ConfigureAwait(false);
        // An unknown name is checked against the decoy through the same gate: the same time, and no more hashes at once.
        var stored = account?.PasswordHash ?? _decoyHash;
        var matches = await hashGate.RunAsync(() => PasswordHasher.Verify(password, stored), cancellationToken).ConfigureAwait(false);
        return matches && account is { Disabled: false } ? account : null;
    }

    public Task<UserAccount> SetRoleAsync(long id, Role role, CancellationToken cancellationToken = default) =>
        UpdateAsync(id, account => account with { Role = role }, cancellationToken);

    public Task<UserAccount> SetDisabledAsync(long id, bool disabled, CancellationToken cancellationToken = default) =>
        UpdateAsync(id, account => account with { Disabled = disabled }, cancellationToken);

    public async Task ChangePasswordAsync(long id, string currentPassword, string newPassword, CancellationToken cancellationToken = default)
    {
        var account = await FindByIdAsync(id, cancellationToken).ConfigureAwait(false)
            ?? throw NodeOpsException.NotFound($"用户 {id} 不存在");
        if (!await hashGate.RunAsync(() => PasswordHasher.Verify(currentPassword, account.PasswordHash), cancellationToken).ConfigureAwait(false))
        {
            throw NodeOpsException.Invalid("current_password", "当前密码不正确");
        }

        ValidatePassword(newPassword);
        var hash = await HashAsync(newPassword, cancellationToken).ConfigureAwait(false);
        await UpdateAsync(id, a => a with { PasswordHash = hash }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Gives an account a new generated password without asking for the current one: the operator's recovery path
    /// (the admin reset-password command), for someone who can already reach the store. Returns the password.
    /// </summary>
    public async Task<(UserAccount Account, string Password)> ResetPasswordAsync(string username, CancellationToken cancellationToken = default)
    {
        var account = await FindByNameAsync(username, cancellationToken).ConfigureAwait(false)
            ?? throw NodeOpsException.NotFound($"用户 {username} 不存在");
        var password = GeneratePassword();
        var hash = PasswordHasher.Hash(password, options.Value.PasswordIterations);
        var updated = await UpdateAsync(account.Id, a => a with { PasswordHash = hash }, cancellationToken).ConfigureAwait(false);
        return (updated, password);
    }

    /// <summary>Creates the first admin when no user exists yet. Returns the generated password when one was generated.</summary>
    public async Task<string?> EnsureBootstrapAdminAsync(CancellationToken cancellationToken = default)
    {
        var existing = await store.QueryAsync(Table, TableQuery.Partition(Partition).WithRowKeyPrefix("id-") with { PageSize = 1 }, cancellationToken).ConfigureAwait(false);
        if (existing.Entities.Count > 0)
        {
            return null;
        }

        var configured = options.Value.BootstrapAdminPassword;
        var password = string.IsNullOrEmpty(configured) ? GeneratePassword() : configured;
        try
        {
            await CreateAsync(options.Value.BootstrapAdminUsername, password, Role.Admin, cancellationToken).ConfigureAwait(false);
        }
        catch (NodeOpsException ex) when (ex.Kind == ErrorKind.Conflict)
        {
            // Another instance bootstrapped at the same moment.
            return null;
        }

        logger.LogInformation("Created the bootstrap admin account {Username}.", options.Value.BootstrapAdminUsername);
        return string.IsNullOrEmpty(configured) ? password : null;
    }

    private async Task<UserAccount> UpdateAsync(long id, Func<UserAccount, UserAccount> change, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < 10; attempt++)
        {
            var entity = await store.GetAsync(Table, Partition, IdRow(id), cancellationToken).ConfigureAwait(false)
                ?? throw NodeOpsException.NotFound($"用户 {id} 不存在");
            var updated = change(DocumentTable.FromEntity<UserAccount>(entity)) with { UpdatedAt = time.GetUtcNow() };
            try
            {
                await store.ReplaceAsync(Table, ToEntity(updated), entity.ETag, cancellationToken).ConfigureAwait(false);
                return updated;
            }
            catch (PreconditionFailedException)
            {
                // Someone else changed the account in between: apply the change to their version.
            }
        }

        throw NodeOpsException.Conflict($"用户 {id} 正被并发修改，请重试");
    }

    private void ValidatePassword(string password)
    {
        if (string.IsNullOrEmpty(password) || password.Length < options.Value.MinPasswordLength)
        {
            throw NodeOpsException.Invalid("password", $"密码至少需要 {options.Value.MinPasswordLength} 个字符");
        }

        if (password.Length > 256)
        {
            throw NodeOpsException.Invalid("password", "密码不能超过 256 个字符");
        }
    }

    private static void ValidateUsername(string username)
    {
        if (string.IsNullOrEmpty(username) || username.Length is < 3 or > 64 || !UsernameRegex().IsMatch(username))
        {
            throw NodeOpsException.Invalid("username", "用户名须为 3-64 个字母、数字、点、下划线或连字符");
        }
    }

    private Task<string> HashAsync(string password, CancellationToken cancellationToken) =>
        hashGate.RunAsync(() => PasswordHasher.Hash(password, options.Value.PasswordIterations), cancellationToken);

    private static TableEntity ToEntity(UserAccount account) => DocumentTable.ToEntity(Partition, IdRow(account.Id), account);

    private static string IdRow(long id) => "id-" + id.ToString("D12", CultureInfo.InvariantCulture);

    private static string NameRow(string username) => "name-" + username.ToLowerInvariant();

    private static string GeneratePassword() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(18)).Replace('/', '_').Replace('+', '-');

    [GeneratedRegex("^[A-Za-z0-9._-]+$")]
    private static partial Regex UsernameRegex();
}
