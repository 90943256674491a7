using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using NodeOps.Storage;

namespace NodeOps.Auth;

/// <summary>
/// Counts failed logins in a sliding window, twice: per (client address, user name), and per client address
/// across all names. Blocking the pair, not the name, stops guessing without letting a stranger lock a real user
/// out from elsewhere; the larger per-address budget stops one client from rotating through names, each of which
/// would otherwise get its own tries. The counts live in the shared store, so a client gets the same number of
/// tries however many instances stand behind the load balancer.
/// </summary>
public sealed class LoginRateLimiter(ITableStore store, TimeProvider time, IOptions<AuthOptions> options)
{
    private const string Table = "loginfailures";
    private const string PairPartition = "failures";
    private const string ClientPartition = "clients";
    private const int MaxRemembered = 10_000;

    /// <summary>
    /// Blocked addresses and when they are free again, so a flood from a blocked address costs no store reads.
    /// Safe to keep per instance: only time lifts an address's block (a success resets the pair, never the address).
    /// </summary>
    private readonly ConcurrentDictionary<string, DateTimeOffset> _blockedClients = new(StringComparer.Ordinal);

    /// <summary>Seconds until the client may try this name again, or null when it may try now.</summary>
    public async Task<int?> RetryAfterSecondsAsync(string client, string username, CancellationToken cancellationToken = default)
    {
        var clientKey = ClientKey(client);
        var freeAt = BlockedClientUntil(clientKey)
            ?? await FreeAtAsync(ClientPartition, clientKey, options.Value.MaxLoginFailuresPerClient, cancellationToken).ConfigureAwait(false);
        if (freeAt is { } clientFreeAt)
        {
            RememberBlockedClient(clientKey, clientFreeAt);
        }
        else
        {
            freeAt = await FreeAtAsync(PairPartition, PairKey(client, username), options.Value.MaxLoginFailures, cancellationToken).ConfigureAwait(false);
        }

        return freeAt is { } at ? Math.Max(1, (int)Math.Ceiling((at - time.GetUtcNow()).TotalSeconds)) : null;
    }

    /// <summary>Counts a failure against both the pair and the client address.</summary>
    public async Task RecordFailureAsync(string client, string username, CancellationToken cancellationToken = default)
    {
        await AppendAsync(PairPartition, PairKey(client, username), options.Value.MaxLoginFailures, cancellationToken).ConfigureAwait(false);
        var clientKey = ClientKey(client);
        var recent = await AppendAsync(ClientPartition, clientKey, options.Value.MaxLoginFailuresPerClient, cancellationToken).ConfigureAwait(false);
        if (FreeAt(recent, options.Value.MaxLoginFailuresPerClient) is { } freeAt)
        {
            RememberBlockedClient(clientKey, freeAt);
        }
    }

    /// <summary>Forgets the pair's failures after a success. The address keeps its count: a client that knows one
    /// password must not be able to clear its budget for guessing others.</summary>
    public async Task ResetAsync(string client, string username, CancellationToken cancellationToken = default)
    {
        try
        {
            await store.DeleteAsync(Table, PairPartition, PairKey(client, username), "*", cancellationToken).ConfigureAwait(false);
        }
        catch (EntityNotFoundException)
        {
            // Nothing to forget.
        }
    }

    private async Task<DateTimeOffset?> FreeAtAsync(string partition, string key, int max, CancellationToken cancellationToken)
    {
        var entity = await store.GetAsync(Table, partition, key, cancellationToken).ConfigureAwait(false);
        return FreeAt(entity is null ? [] : Recent(DocumentTable.FromEntity<LoginFailures>(entity)), max);
    }

    /// <summary>Adds a failure now to the row and returns the failures still in the window.</summary>
    private async Task<IReadOnlyList<DateTimeOffset>> AppendAsync(string partition, string key, int max, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < 10; attempt++)
        {
            var entity = await store.GetAsync(Table, partition, key, cancellationToken).ConfigureAwait(false);
            var recent = entity is null ? [] : Recent(DocumentTable.FromEntity<LoginFailures>(entity));
            recent.Add(time.GetUtcNow());
            // Only the newest failures matter for the decision, so a row never grows past the limit.
            var kept = recent.TakeLast(max).ToList();
            var next = DocumentTable.ToEntity(partition, key, new LoginFailures(kept));
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

                return kept;
            }
            catch (Exception ex) when (ex is EntityAlreadyExistsException or PreconditionFailedException)
            {
                // Another failure for the same row landed first, possibly on another instance: count on top of it.
            }
        }

        return [];
    }

    /// <summary>When the oldest failure that keeps the row at its limit leaves the window; null when under the limit.</summary>
    private DateTimeOffset? FreeAt(IReadOnlyList<DateTimeOffset> recent, int max) =>
        recent.Count < max ? null : recent[^max] + options.Value.LoginFailureWindow;

    private List<DateTimeOffset> Recent(LoginFailures failures)
    {
        var cutoff = time.GetUtcNow() - options.Value.LoginFailureWindow;
        return failures.At.Where(at => at > cutoff).Order().ToList();
    }

    private DateTimeOffset? BlockedClientUntil(string clientKey)
    {
        if (!_blockedClients.TryGetValue(clientKey, out var freeAt))
        {
            return null;
        }

        if (freeAt > time.GetUtcNow())
        {
            return freeAt;
        }

        _blockedClients.TryRemove(clientKey, out _);
        return null;
    }

    private void RememberBlockedClient(string clientKey, DateTimeOffset freeAt)
    {
        if (_blockedClients.Count >= MaxRemembered)
        {
            _blockedClients.Clear();
        }

        _blockedClients[clientKey] = freeAt;
    }

    /// <summary>Hashes: addresses and user names hold characters keys may not, and need not be readable in the store.</summary>
    private static string PairKey(string client, string username) => Hash(client + "\n" + username.ToLowerInvariant());

    private static string ClientKey(string client) => Hash(client);

    private static string Hash(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    private sealed record LoginFailures(IReadOnlyList<DateTimeOffset> At);
}
