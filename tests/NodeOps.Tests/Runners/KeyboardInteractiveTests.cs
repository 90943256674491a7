using NodeOps.Credentials;
using NodeOps.Runners.Ssh;
using NodeOps.Tests.TestBed;

namespace NodeOps.Tests.Runners;

/// <summary>
/// Its own node, whose sshd takes passwords only through keyboard-interactive answered by PAM (PasswordAuthentication
/// no): the password credential must answer the prompt, with no sshpass.
/// </summary>
public sealed class KeyboardInteractiveTests : IAsyncLifetime
{
    private SshdFixture _sshd = null!;
    private TestHost _host = null!;

    public async Task InitializeAsync()
    {
        _sshd = await SshdFixture.StartAsync(1, "kbd", keyboardInteractive: true);
        _host = await TestHost.StartAsync(configureServices: FixtureCatalog.For(_sshd, "kbd").Register);
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        await _sshd.DisposeAsync();
    }

    [Fact]
    public async Task PasswordCredential_AnswersTheKeyboardInteractivePrompt_AndAWrongOneFails()
    {
        var node = _sshd.Nodes[0];
        var runner = _host.GetRequiredService<ISshRunner>();
        SshRunRequest Request(long id, string password) => new(
            new SshTarget("kbd", node.Name, node.Address, node.Port, new SshCredential(id, "kbd", _sshd.User, CredentialAuthType.Password, 22, password, null, null)),
            RemoteInvocation.ForCommand("id -un"), TimeSpan.FromMinutes(2), 4096);

        var ok = await runner.RunAsync(Request(2, _sshd.Password)).WaitAsync(TimeSpan.FromMinutes(2));
        var wrong = await runner.RunAsync(Request(3, "not-the-password")).WaitAsync(TimeSpan.FromMinutes(2));

        Assert.Equal(SshRunOutcome.Exited, ok.Outcome);
        Assert.Equal(_sshd.User + "\n", ok.Stdout);
        Assert.Equal(SshRunOutcome.AuthenticationFailed, wrong.Outcome);
        Assert.Equal(SshRunResult.AuthenticationFailedCode, wrong.ErrorCode);
    }
}
