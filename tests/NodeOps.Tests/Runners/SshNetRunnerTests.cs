using System.Security.Cryptography;
using NodeOps.Clusters;
using NodeOps.Credentials;
using NodeOps.Runners.Ssh;
using NodeOps.Tests.TestBed;

namespace NodeOps.Tests.Runners;

/// <summary>The SSH runner on real sshd nodes: credentials, output, exit status, stop and timeout, connection reuse.</summary>
[Collection(SshNodesCollection.Name)]
public sealed class SshNetRunnerTests(SshNodes nodes) : SshNodesTest(nodes)
{
    private static readonly TimeSpan Long = TimeSpan.FromMinutes(2);
    private readonly string _token = Convert.ToHexString(RandomNumberGenerator.GetBytes(4)).ToLowerInvariant();

    private ISshRunner Runner => Host.GetRequiredService<ISshRunner>();

    private SshConnectionPool Pool => Host.GetRequiredService<SshConnectionPool>();

    [Theory]
    [InlineData("ed25519", false)]
    [InlineData("rsa", false)]
    [InlineData("rsa", true)]
    public async Task PassphraseProtectedKey_OpenSshAndPem_LogsIn(string type, bool pem)
    {
        var passphrase = "pass-" + _token;
        var key = await Nodes.Sshd.AuthorizeNewKeyAsync(type, passphrase, pem);
        Assert.Contains(pem ? "BEGIN RSA PRIVATE KEY" : "BEGIN OPENSSH PRIVATE KEY", key, StringComparison.Ordinal);

        var result = await RunAsync(Nodes.Sshd.Nodes[8], "id -un", KeyCredential(31, key, passphrase));

        Assert.Equal(SshRunOutcome.Exited, result.Outcome);
        Assert.Equal(0, result.ExitCode);
        Assert.Equal(Nodes.Sshd.User + "\n", result.Stdout);
    }

    [Fact]
    public async Task PassphraseProtectedKey_WrongOrMissingPassphrase_FailsAuthenticationWithoutTheSecret()
    {
        var key = await Nodes.Sshd.AuthorizeNewKeyAsync("ed25519", "right-" + _token);

        var wrong = await RunAsync(Nodes.Sshd.Nodes[8], "true", KeyCredential(32, key, "wrong-" + _token));
        var missing = await RunAsync(Nodes.Sshd.Nodes[8], "true", KeyCredential(33, key, null));

        foreach (var result in new[] { wrong, missing })
        {
            Assert.Equal(SshRunOutcome.AuthenticationFailed, result.Outcome);
            Assert.Equal(SshRunResult.AuthenticationFailedCode, result.ErrorCode);
            Assert.DoesNotContain(_token, result.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task KeyAndPassword_LogIn_AndAWrongPasswordIsAnAuthenticationFailure()
    {
        var node = Nodes.Sshd.Nodes[9];
        var byKey = await RunAsync(node, "id -un", KeyCredential(1, Nodes.Sshd.ClientPrivateKey, null));
        var byPassword = await RunAsync(node, "id -un", PasswordCredential(2, Nodes.Sshd.Password));
        var wrong = await RunAsync(node, "id -un", PasswordCredential(34, "not-the-password"));

        Assert.Equal(Nodes.Sshd.User + "\n", byKey.Stdout);
        Assert.Equal(Nodes.Sshd.User + "\n", byPassword.Stdout);
        Assert.Equal(SshRunOutcome.AuthenticationFailed, wrong.Outcome);
        Assert.Equal(SshRunResult.AuthenticationFailedCode, wrong.ErrorCode);
    }

    [Fact]
    public async Task StdoutAndStderr_StayApart_AndTheExitCodeIsTheCommandsOwn()
    {
        var result = await RunAsync(Nodes.Sshd.Nodes[10], "echo out; echo err >&2; echo out2; exit 7");

        Assert.Equal(SshRunOutcome.Exited, result.Outcome);
        Assert.Equal(7, result.ExitCode);
        Assert.Equal("out\nout2\n", result.Stdout);
        Assert.Equal("err\n", result.Stderr);
        Assert.NotNull(result.RemoteProcessGroup);
        Assert.False(result.Truncated);
    }

    [Fact]
    public async Task CommandKilledBySignal_ReportsTheSignalAndNoExitCode()
    {
        var result = await RunAsync(Nodes.Sshd.Nodes[10], "echo before; kill -KILL $$");

        Assert.Equal(SshRunOutcome.Exited, result.Outcome);
        Assert.Null(result.ExitCode);
        Assert.Equal("KILL", result.ExitSignal);
        Assert.Contains("SIGKILL", result.Message, StringComparison.Ordinal);
        Assert.Equal("before\n", result.Stdout);
    }

    [Fact]
    public async Task OutputBeyondTheLimit_KeepsEachStreamsTail_AndFlagsTruncated()
    {
        var result = await RunAsync(Nodes.Sshd.Nodes[11],
            "head -c 200000 /dev/zero | tr '\\0' a; echo; echo OUT-END; head -c 100000 /dev/zero | tr '\\0' b >&2; echo >&2; echo ERR-END >&2",
            limit: 1000);

        Assert.Equal(0, result.ExitCode);
        Assert.True(result.Truncated);
        Assert.True(result.Stdout.Length <= 1000, result.Stdout.Length.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.EndsWith("a\nOUT-END\n", result.Stdout, StringComparison.Ordinal);
        Assert.True(result.Stderr.Length <= 1000);
        Assert.EndsWith("b\nERR-END\n", result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("b", result.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("a", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cancel_StopsTheWholeRemoteProcessGroup_AndLeavesNoProcess()
    {
        var marker = "nodeops-runner-cancel-" + _token;
        var reported = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var cancel = new CancellationTokenSource();
        var node = Nodes.Sshd.Nodes[12];
        // A background child in the same group, and the foreground command: both must go.
        var request = new SshRunRequest(Target(node, KeyCredential(1, Nodes.Sshd.ClientPrivateKey, null)),
            RemoteInvocation.ForCommand($"(sleep 601; echo {marker}-child) & echo started; sleep 600; echo {marker}"), Long, 4096, pgid => reported.TrySetResult(pgid));
        var run = Runner.RunAsync(request, cancel.Token);
        var group = await reported.Task.WaitAsync(Long);
        await Eventually.GetAsync(() => Task.FromResult(SshdFixture.ProcessesWithCommandLine(marker).Count >= 2 ? "running" : null), Long, "the remote commands");

        await cancel.CancelAsync();
        var result = await run.WaitAsync(Long);

        Assert.Equal(SshRunOutcome.Stopped, result.Outcome);
        Assert.Equal(group, result.RemoteProcessGroup);
        Assert.Equal("started\n", result.Stdout);
        await Eventually.GetAsync(() => Task.FromResult(SshdFixture.ProcessesWithCommandLine(marker).Count == 0 ? "gone" : null), Long, "the remote processes ending");
        // The connection survived the stop and serves the next command.
        Assert.Equal(0, (await RunAsync(node, "true")).ExitCode);
    }

    [Fact]
    public async Task Timeout_StopsTheRemoteCommand_AndReportsTimedOut()
    {
        var marker = "nodeops-runner-timeout-" + _token;
        var node = Nodes.Sshd.Nodes[13];

        var result = await RunAsync(node, $"echo started; sleep 600; echo {marker}", timeout: TimeSpan.FromSeconds(2));

        Assert.Equal(SshRunOutcome.TimedOut, result.Outcome);
        Assert.Null(result.ExitCode);
        Assert.Equal("started\n", result.Stdout);
        await Eventually.GetAsync(() => Task.FromResult(SshdFixture.ProcessesWithCommandLine(marker).Count == 0 ? "gone" : null), Long, "the remote process ending");
    }

    [Fact]
    public async Task SecondRun_ReusesTheConnection_AndADroppedConnectionIsReopened()
    {
        var node = Nodes.Sshd.Nodes[14];
        var before = Pool.OpenedCount;

        Assert.Equal(0, (await RunAsync(node, "true")).ExitCode);
        Assert.Equal(0, (await RunAsync(node, "true")).ExitCode);
        Assert.Equal(before + 1, Pool.OpenedCount);

        await Nodes.Sshd.RestartAsync(node);
        var afterDrop = await RunAsync(node, "echo again");

        Assert.Equal(SshRunOutcome.Exited, afterDrop.Outcome);
        Assert.Equal("again\n", afterDrop.Stdout);
        Assert.Equal(before + 2, Pool.OpenedCount);
    }

    [Fact]
    public async Task UnreachableNode_FailsWithTheConnectionCode()
    {
        var closed = new SshdNode("closed", "127.0.0.1", ClosedPort(), Nodes.Sshd.Folder);

        var result = await RunAsync(closed, "true");

        Assert.Equal(SshRunOutcome.ConnectionFailed, result.Outcome);
        Assert.Equal(SshRunResult.ConnectionFailedCode, result.ErrorCode);
        Assert.Contains("Connection refused", result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PinWithTheRightBytesButAnotherKeyType_IsAMismatch()
    {
        var node = Nodes.Sshd.Nodes[15];
        var blob = (await File.ReadAllTextAsync(node.HostKeyPath + ".pub")).Split(' ')[1];
        var pins = Host.GetRequiredService<HostKeyPinStore>();
        await pins.PinIfAbsentAsync(new HostKeyPin(Cluster, node.Name, node.Address, node.Port, "ssh-rsa", blob, HostKeyCheck.FingerprintOf(blob), DateTimeOffset.UtcNow));

        var result = await RunAsync(node, "true");

        Assert.Equal(SshRunOutcome.HostKeyMismatch, result.Outcome);
        Assert.Equal(SshRunResult.HostKeyMismatchCode, result.ErrorCode);
    }

    private string Cluster => "runner-" + _token;

    private SshTarget Target(SshdNode node, SshCredential credential) => new(Cluster, node.Name, node.Address, node.Port, credential);

    private Task<SshRunResult> RunAsync(SshdNode node, string command, SshCredential? credential = null, int limit = 64 * 1024, TimeSpan? timeout = null) =>
        Runner.RunAsync(new SshRunRequest(Target(node, credential ?? KeyCredential(1, Nodes.Sshd.ClientPrivateKey, null)), RemoteInvocation.ForCommand(command), timeout ?? Long, limit))
            .WaitAsync(Long);

    private SshCredential KeyCredential(long id, string key, string? passphrase) =>
        new(id, "key-" + id, Nodes.Sshd.User, CredentialAuthType.PrivateKey, 22, null, key, passphrase);

    private SshCredential PasswordCredential(long id, string password) =>
        new(id, "password-" + id, Nodes.Sshd.User, CredentialAuthType.Password, 22, password, null, null);

    private static int ClosedPort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }
}
