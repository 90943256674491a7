using System.Collections.Concurrent;
using NodeOps.Auth;

namespace NodeOps.Functions.Security;

/// <summary>
/// Account look-ups for authentication, cached for a few seconds: every request needs one, and a role change or
/// disablement made on any instance is honoured within <see cref="CacheFor"/>.
/// </summary>
internal sealed class UserDirectory(UserService users, TimeProvider time)
{
    public static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(3);
    private readonly ConcurrentDictionary<long, (UserAccount? Account, DateTimeOffset ReadAt)> _cache = new();

    public async Task<UserAccount?> FindAsync(long id, CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow();
        if (_cache.TryGetValue(id, out var entry) && now - entry.ReadAt < CacheFor)
        {
            return entry.Account;
        }

        var account = await users.FindByIdAsync(id, cancellationToken);
        if (_cache.Count > 10_000)
        {
            _cache.Clear();
        }

        _cache[id] = (account, now);
        return account;
    }

    /// <summary>Forgets a cached account after this instance changed it, so the change applies at once here.</summary>
    public void Invalidate(long id) => _cache.TryRemove(id, out _);
}
