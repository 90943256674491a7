using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using NodeOps.Storage;

namespace NodeOps.Auth;

/// <summary>
/// Counts failed logins per (client address, user name) in a sliding window. Blocking the pair, not the name,
/// stops guessing without letting a stranger lock a real user out from elsewhere. The counts live in the shared
/// store, so a client gets the same number of tries however many instances stand behind the load balancer.
/// </summary>
public sealed class LoginRateLimiter(ITableStore store, TimeProvider time, IOptions<AuthOptions> options)
{
    private const string Table = "loginfailures";
    private const string Partition = "failures";

    /// <summary>Seconds until the pair may try again, or null when it may try now.</summary>
    public async Task<int?> RetryAfterSecondsAsync(string client, string username, CancellationToken cancellationToken = default)
    {
        var entity = await store.GetAsync(Table, Partition, Key(client, username), cancellationToken).ConfigureAwait(false);
        var recent = entity is null ? [] : Recent(DocumentTable.FromEntity<LoginFailures>(entity));
        if (recent.Count < options.Value.MaxLoginFailures)
        {
            return null;
        }

        var freeAt = recent[^options.Value.MaxLoginFailures] + options.Value.LoginFailureWindow;
        return Math.Max(1, (int)Math.Ceiling((freeAt - time.GetUtcNow()).TotalSeconds));
    }

    public async Task RecordFailureAsync(string client, string username, CancellationToken cancellationToken = default)
    {
        var key = Key(client, username);
        for (var attempt = 0; attempt < 10; attempt++)
        {
            var entity = await store.GetAsync(Table, Partition, key, cancellationToken).ConfigureAwait(false);
            var recent = entity is null ? [] : Recent(DocumentTable.FromEntity<LoginFailures>(entity));
            recent.Add(time.GetUtcNow());
            // Only the newest failures matter for the decision, so a row never grows past the limit.
            var kept = recent.TakeLast(options.Value.MaxLoginFailures).ToList();
            var next = DocumentTable.ToEntity(Partition, key, new LoginFailures(kept));
            try
            {
                if (entity is null)
                {
                    await store.InsertAsync(Table, next, cancellationToken).ConfigureAwait(false);
                }
                else
                {
                    await store.ReplaceAsync(Table, next, entity.ETag, cancellationToken).ConfigureAwait(false);
                }

                return;
            }
            catch (Exception ex) when (ex is EntityAlreadyExistsException or PreconditionFailedException)
            {
                // Another failure for the same pair landed first, possibly on another instance: count on top of it.
            }
        }
    }

    public async Task ResetAsync(string client, string username, CancellationToken cancellationToken = default)
    {
        try
        {
            await store.DeleteAsync(Table, Partition, Key(client, username), "*", cancellationToken).ConfigureAwait(false);
        }
        catch (EntityNotFoundException)
        {
            // Nothing to forget.
        }
    }

    private List<DateTimeOffset> Recent(LoginFailures failures)
    {
        var cutoff = time.GetUtcNow() - options.Value.LoginFailureWindow;
        return failures.At.Where(at => at > cutoff).Order().ToList();
    }

    /// <summary>A hash: addresses and user names hold characters keys may not, and need not be readable in the store.</summary>
    private static string Key(string client, string username) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(client + "\n" + username.ToLowerInvariant())));

    private sealed record LoginFailures(IReadOnlyList<DateTimeOffset> At);
}
