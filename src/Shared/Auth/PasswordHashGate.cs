using Microsoft.Extensions.Options;
using NodeOps.Errors;

namespace NodeOps.Auth;

/// <summary>
/// Every password hash runs through here. A hash is deliberately slow CPU work, so anyone who can ask for one
/// (an anonymous login) could otherwise occupy every core and starve the thread pool that serves all other routes.
/// The gate runs at most <see cref="Slots"/> hashes at once, each on its own thread rather than a thread-pool thread;
/// a few more callers may wait, asynchronously and for a bounded time; the rest are refused at once with 429.
/// 429 rather than 503: a refusal here is the expected answer to a flood, not a server fault to log and alert on.
/// </summary>
public sealed class PasswordHashGate : IDisposable
{
    private readonly SemaphoreSlim _slots;
    private readonly int _maxAdmitted;
    private readonly TimeSpan _waitTimeout;
    private readonly TimeProvider _time;
    private int _admitted;

    public PasswordHashGate(IOptions<AuthOptions> options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        var value = options.Value;
        Slots = value.MaxConcurrentPasswordHashes > 0 ? value.MaxConcurrentPasswordHashes : DefaultSlots(Environment.ProcessorCount);
        _slots = new SemaphoreSlim(Slots, Slots);
        _maxAdmitted = Slots + Math.Max(0, value.MaxWaitingPasswordHashes);
        _waitTimeout = value.PasswordHashWaitTimeout;
        _time = time;
    }

    /// <summary>Hashes that may run at once.</summary>
    public int Slots { get; }

    /// <summary>Half the cores, at least one: the other half keeps serving every other route during a login flood.</summary>
    public static int DefaultSlots(int processorCount) => Math.Max(1, processorCount / 2);

    /// <summary>
    /// Every slot and waiting place is taken, so a caller can turn a flood away before spending store reads on it.
    /// A hint only: <see cref="RunAsync"/> enforces the bound.
    /// </summary>
    public bool IsFull => Volatile.Read(ref _admitted) >= _maxAdmitted;

    /// <summary>Runs <paramref name="hash"/> when a slot is free; 429 when none frees up in time or too many wait already.</summary>
    public async Task<T> RunAsync<T>(Func<T> hash, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(hash);
        if (Interlocked.Increment(ref _admitted) > _maxAdmitted)
        {
            Interlocked.Decrement(ref _admitted);
            throw Busy();
        }

        try
        {
            await EnterAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                // A dedicated thread: the slot count bounds how many exist, and no thread-pool thread is held meanwhile.
                return await Task.Factory.StartNew(hash, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default)
                    .ConfigureAwait(false);
            }
            finally
            {
                _slots.Release();
            }
        }
        finally
        {
            Interlocked.Decrement(ref _admitted);
        }
    }

    public void Dispose() => _slots.Dispose();

    private async Task EnterAsync(CancellationToken cancellationToken)
    {
        if (_slots.Wait(0, CancellationToken.None))
        {
            return;
        }

        using var timeout = new CancellationTokenSource(_waitTimeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, cancellationToken);
        try
        {
            await _slots.WaitAsync(linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw Busy();
        }
    }

    /// <summary>The refusal, 429 PASSWORD_CHECK_BUSY with Retry-After: 1.</summary>
    public static NodeOpsException Busy() =>
        new(ErrorKind.TooManyRequests, "正在处理的密码校验过多，请稍后再试", code: "PASSWORD_CHECK_BUSY") { RetryAfterSeconds = 1 };
}
