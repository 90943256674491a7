using System.Diagnostics;

namespace NodeOps.Runners.Ansible;

/// <summary>
/// A private ssh-agent for one run whose key has a passphrase (Ansible has no way to answer a passphrase prompt).
/// The agent listens on a socket in the run's folder and is the run's own child; ssh-add unlocks the key with the
/// passphrase from its environment through an askpass script, never from a command line. Disposing stops the agent.
/// </summary>
internal sealed class AnsibleKeyAgent : IDisposable
{
    private const string PassphraseVariable = "NODEOPS_KEY_PASSPHRASE";
    private readonly Process _agent;

    private AnsibleKeyAgent(Process agent, string socket)
    {
        _agent = agent;
        Socket = socket;
    }

    public string Socket { get; }

    public static async Task<AnsibleKeyAgent> StartAsync(AnsibleRunDirectory directory, AnsibleRunPaths paths, string keyFile, string passphrase, CancellationToken cancellationToken)
    {
        var agent = Start("ssh-agent", ["-D", "-a", paths.AgentSocket], new Dictionary<string, string?>());
        var result = new AnsibleKeyAgent(agent, paths.AgentSocket);
        try
        {
            for (var i = 0; i < 100 && !File.Exists(paths.AgentSocket); i++)
            {
                if (agent.HasExited)
                {
                    throw new InvalidOperationException("ssh-agent exited at start.");
                }

                await Task.Delay(20, cancellationToken).ConfigureAwait(false);
            }

            var askpass = directory.WriteFile("askpass.sh", $"#!/bin/sh\nprintf '%s\\n' \"${PassphraseVariable}\"\n");
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(askpass, UnixFileMode.UserRead | UnixFileMode.UserExecute);
            }
            using var add = Start("ssh-add", ["-q", keyFile], new Dictionary<string, string?>
            {
                ["SSH_AUTH_SOCK"] = paths.AgentSocket,
                ["SSH_ASKPASS"] = askpass,
                ["SSH_ASKPASS_REQUIRE"] = "force",
                ["DISPLAY"] = "none",
                [PassphraseVariable] = passphrase,
            });
            using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            limit.CancelAfter(TimeSpan.FromSeconds(15));
            var stderr = add.StandardError.ReadToEndAsync(limit.Token);
            await add.WaitForExitAsync(limit.Token).ConfigureAwait(false);
            if (add.ExitCode != 0)
            {
                throw new InvalidOperationException("私钥口令不正确或私钥无法加载");
            }

            await stderr.ConfigureAwait(false);
            return result;
        }
        catch
        {
            result.Dispose();
            throw;
        }
    }

    public void Dispose()
    {
        try
        {
            if (!_agent.HasExited)
            {
                _agent.Kill();
                _agent.WaitForExit(2000);
            }
        }
        catch (InvalidOperationException)
        {
        }

        _agent.Dispose();
    }

    private static Process Start(string fileName, IEnumerable<string> arguments, IReadOnlyDictionary<string, string?> environment)
    {
        var info = new ProcessStartInfo(fileName)
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        info.Environment.Clear();
        info.Environment["PATH"] = Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin:/bin";
        foreach (var (name, value) in environment)
        {
            info.Environment[name] = value;
        }

        var process = Process.Start(info) ?? throw new InvalidOperationException($"Could not start {fileName}.");
        process.StandardInput.Close();
        return process;
    }
}
