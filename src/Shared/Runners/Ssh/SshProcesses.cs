using System.Diagnostics;

namespace NodeOps.Runners.Ssh;

/// <summary>Starts OpenSSH processes with everything redirected and nothing inherited that could change how they authenticate.</summary>
internal static class SshProcesses
{
    // An agent, an askpass helper or a display could make ssh authenticate other than as told.
    private static readonly string[] StrippedVariables = ["SSH_AUTH_SOCK", "SSH_AGENT_PID", "SSH_ASKPASS", "SSH_ASKPASS_REQUIRE", "DISPLAY", "SSHPASS"];

    public static Process Start(string fileName, IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment = null)
    {
        var info = new ProcessStartInfo(fileName)
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            CreateNoWindow = true,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        foreach (var name in StrippedVariables)
        {
            info.Environment.Remove(name);
        }

        if (environment is not null)
        {
            foreach (var (name, value) in environment)
            {
                info.Environment[name] = value;
            }
        }

        return Process.Start(info) ?? throw new InvalidOperationException($"Could not start {fileName}.");
    }

    /// <summary>Kills a process and its children, ignoring one that already exited.</summary>
    public static void Kill(Process process)
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
        catch (InvalidOperationException)
        {
        }
        catch (System.ComponentModel.Win32Exception)
        {
        }
    }

    /// <summary>Options that every ssh invocation carries: no user or system config, no agent, no forwarding.</summary>
    public static IEnumerable<string> CommonOptions(SshOptions options) =>
    [
        "-F", "/dev/null",
        "-T",
        "-o", "LogLevel=ERROR",
        "-o", "GlobalKnownHostsFile=/dev/null",
        "-o", "IdentitiesOnly=yes",
        "-o", "IdentityAgent=none",
        "-o", "ForwardAgent=no",
        "-o", "ForwardX11=no",
        "-o", "ClearAllForwardings=yes",
        "-o", "ConnectTimeout=" + options.ConnectTimeoutSeconds,
        "-o", "ServerAliveInterval=" + options.ServerAliveIntervalSeconds,
        "-o", "ServerAliveCountMax=" + options.ServerAliveCountMax,
    ];
}
