using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace NodeOps.Auth;

/// <summary>
/// Counts failed logins per (client address, user name) in a sliding window. Blocking the pair, not the name,
/// stops guessing without letting a stranger lock a real user out from elsewhere.
/// </summary>
public sealed class LoginRateLimiter(TimeProvider time, IOptions<AuthOptions> options)
{
    private readonly ConcurrentDictionary<string, Queue<DateTimeOffset>> _failures = new(StringComparer.Ordinal);

    /// <summary>Seconds until the pair may try again, or null when it may try now.</summary>
    public int? RetryAfterSeconds(string client, string username)
    {
        if (!_failures.TryGetValue(Key(client, username), out var queue))
        {
            return null;
        }

        lock (queue)
        {
            Prune(queue);
            if (queue.Count < options.Value.MaxLoginFailures)
            {
                return null;
            }

            var freeAt = queue.Peek() + options.Value.LoginFailureWindow;
            return Math.Max(1, (int)Math.Ceiling((freeAt - time.GetUtcNow()).TotalSeconds));
        }
    }

    public void RecordFailure(string client, string username)
    {
        var queue = _failures.GetOrAdd(Key(client, username), _ => new Queue<DateTimeOffset>());
        lock (queue)
        {
            Prune(queue);
            queue.Enqueue(time.GetUtcNow());
        }

        if (_failures.Count > 100_000)
        {
            // A flood of distinct names must not grow memory without bound: drop the idle entries.
            foreach (var (key, q) in _failures)
            {
                lock (q)
                {
                    Prune(q);
                    if (q.Count == 0)
                    {
                        _failures.TryRemove(key, out _);
                    }
                }
            }
        }
    }

    public void Reset(string client, string username) => _failures.TryRemove(Key(client, username), out _);

    private void Prune(Queue<DateTimeOffset> queue)
    {
        var cutoff = time.GetUtcNow() - options.Value.LoginFailureWindow;
        while (queue.Count > 0 && queue.Peek() < cutoff)
        {
            queue.Dequeue();
        }
    }

    private static string Key(string client, string username) => client + "\n" + username.ToLowerInvariant();
}
