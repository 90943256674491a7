using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using NodeOps.Auth;
using NodeOps.Errors;
using NodeOps.Storage;
using NodeOps.Tests.TestBed;

namespace NodeOps.Tests.Auth;

public sealed class UserServiceVerifyTests : IDisposable
{
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(60);
    private readonly StorageTestHost _storage = StorageTestHost.Sqlite();
    private readonly ManualResetEventSlim _release = new();
    private readonly PasswordHashGate _gate;
    private readonly UserService _users;

    public UserServiceVerifyTests()
    {
        var options = Options.Create(new AuthOptions { PasswordIterations = 10_000, MaxConcurrentPasswordHashes = 1, MaxWaitingPasswordHashes = 0 });
        _gate = new PasswordHashGate(options, TimeProvider.System);
        _users = new UserService(_storage.Tables, new SequenceGenerator(_storage.Tables), _gate, TimeProvider.System, options, NullLogger<UserService>.Instance);
    }

    public void Dispose()
    {
        _release.Set();
        _release.Dispose();
        _gate.Dispose();
        _storage.Dispose();
    }

    [Fact]
    public async Task UnknownName_TakesAHashSlotLikeAKnownName()
    {
        await _users.CreateAsync("alice", "alice-password", Role.User);
        var holder = _gate.RunAsync(() => _release.Wait(Generous));

        // Were unknown names answered without a hash, they would come back (null) while the only slot is taken.
        var unknown = await Assert.ThrowsAsync<NodeOpsException>(() => _users.VerifyAsync("nobody", "whatever-password"));
        var known = await Assert.ThrowsAsync<NodeOpsException>(() => _users.VerifyAsync("alice", "whatever-password"));

        Assert.Equal(ErrorKind.TooManyRequests, unknown.Kind);
        Assert.Equal(ErrorKind.TooManyRequests, known.Kind);
        _release.Set();
        await holder.WaitAsync(Generous);
        Assert.Null(await _users.VerifyAsync("nobody", "whatever-password"));
        Assert.Null(await _users.VerifyAsync("alice", "whatever-password"));
        Assert.Equal("alice", (await _users.VerifyAsync("alice", "alice-password"))?.Username);
    }

    [Fact]
    public async Task DisabledAccount_IsRefusedEvenWithTheRightPassword()
    {
        var bob = await _users.CreateAsync("bob", "bob-password", Role.User);
        await _users.SetDisabledAsync(bob.Id, true);

        Assert.Null(await _users.VerifyAsync("bob", "bob-password"));
    }

    [Fact]
    public void Decoy_HasTheConfiguredCost_AndMatchesNoPassword()
    {
        var decoy = PasswordHasher.Decoy(10_000);

        Assert.StartsWith("pbkdf2-sha512$10000$", decoy, StringComparison.Ordinal);
        Assert.NotEqual(decoy, PasswordHasher.Decoy(10_000));
        Assert.False(PasswordHasher.Verify("", decoy));
        Assert.False(PasswordHasher.Verify("whatever-password", decoy));
    }
}
