using System.Diagnostics;
using NodeOps.Sandbox;

namespace NodeOps.Runners.Ansible;

/// <summary>
/// A private ssh-agent for one run whose key has a passphrase (Ansible has no way to answer a passphrase prompt).
/// The agent listens on a socket in the run's folder and runs where the playbook runs (the same sandbox user, so
/// it accepts the playbook's ssh). ssh-add unlocks the key through an askpass script that reads the passphrase
/// from a 0600 file in the run's private folder, deleted as soon as ssh-add is done: never a command line, never
/// an environment variable. Disposing stops the agent.
/// </summary>
internal sealed class AnsibleKeyAgent : IDisposable
{
    private readonly Process _agent;

    private AnsibleKeyAgent(Process agent, string socket)
    {
        _agent = agent;
        Socket = socket;
    }

    public string Socket { get; }

    public static async Task<AnsibleKeyAgent> StartAsync(AnsibleRunDirectory directory, AnsibleRunPaths paths, AnsibleSandbox sandbox, string passphrase, CancellationToken cancellationToken)
    {
        directory.WriteFile(Path.GetFileName(paths.Passphrase), passphrase);
        directory.WriteFile(Path.GetFileName(paths.Askpass), $"#!/bin/sh\ncat '{paths.Passphrase}'\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(paths.Askpass, UnixFileMode.UserRead | UnixFileMode.UserExecute);
        }

        sandbox.HandOver(paths.Root);
        var agent = Start(sandbox.Command("/usr/bin/ssh-agent", ["-D", "-a", paths.AgentSocket], paths.Root), new Dictionary<string, string?>());
        var result = new AnsibleKeyAgent(agent, paths.AgentSocket);
        try
        {
            for (var i = 0; i < 250 && !File.Exists(paths.AgentSocket); i++)
            {
                if (agent.HasExited)
                {
                    throw new InvalidOperationException("ssh-agent 启动失败");
                }

                await Task.Delay(20, cancellationToken).ConfigureAwait(false);
            }

            using var add = Start(sandbox.Command("/usr/bin/ssh-add", ["-q", paths.PrivateKey], paths.Root), new Dictionary<string, string?>
            {
                ["SSH_AUTH_SOCK"] = paths.AgentSocket,
                ["SSH_ASKPASS"] = paths.Askpass,
                ["SSH_ASKPASS_REQUIRE"] = "force",
                ["DISPLAY"] = "none",
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
        finally
        {
            File.Delete(paths.Passphrase);
        }
    }

    public void Dispose()
    {
        try
        {
            if (!_agent.HasExited)
            {
                _agent.Kill(entireProcessTree: true);
                _agent.WaitForExit(2000);
            }
        }
        catch (InvalidOperationException)
        {
        }

        _agent.Dispose();
    }

    private static Process Start(SandboxedCommand command, IReadOnlyDictionary<string, string?> environment)
    {
        var info = new ProcessStartInfo(command.FileName)
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in command.Arguments)
        {
            info.ArgumentList.Add(argument);
        }

        info.Environment.Clear();
        info.Environment["PATH"] = "/usr/bin:/bin";
        foreach (var (name, value) in environment)
        {
            info.Environment[name] = value;
        }

        var process = Processes.ProcessLauncher.Start(info);
        process.StandardInput.Close();
        return process;
    }
}
