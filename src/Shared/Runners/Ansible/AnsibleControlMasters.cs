using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace NodeOps.Runners.Ansible;

/// <summary>
/// The ssh ControlPersist masters a run's ssh clients leave behind: they detach into sessions of their own, so
/// stopping the run's process group does not reach them. Each names its control socket in its process title
/// ("ssh: SOCKET [mux]"), and the sockets live in the run's private folder, so a master is found exactly and
/// sent SIGTERM; one that cannot be found that way is asked to exit through its socket.
/// </summary>
internal static class AnsibleControlMasters
{
    public static async Task CloseAsync(string folder, string sshPath, TimeProvider time)
    {
        string[] sockets;
        try
        {
            sockets = Directory.Exists(folder) ? Directory.GetFiles(folder) : [];
        }
        catch (IOException)
        {
            return;
        }

        if (sockets.Length == 0)
        {
            return;
        }

        var masters = FindMasters(sockets);
        foreach (var (socket, pid) in masters.ToList())
        {
            // SIGTERM lets the master remove its socket and close its connection cleanly.
            if (AnsibleProcessGroup.Terminate(pid) != 0)
            {
                masters.Remove(socket);
            }
        }

        await Task.WhenAll(sockets.Where(s => !masters.ContainsKey(s)).Select(s => ExitThroughSocketAsync(s, sshPath, time))).ConfigureAwait(false);
    }

    private static Dictionary<string, int> FindMasters(string[] sockets)
    {
        var titles = sockets.ToDictionary(s => "ssh: " + s + " [mux]", s => s, StringComparer.Ordinal);
        var found = new Dictionary<string, int>(StringComparer.Ordinal);
        if (!OperatingSystem.IsLinux())
        {
            return found;
        }

        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            {
                continue;
            }

            try
            {
                var title = Encoding.UTF8.GetString(File.ReadAllBytes(Path.Combine(directory, "cmdline"))).TrimEnd('\0');
                if (titles.TryGetValue(title, out var socket))
                {
                    found[socket] = pid;
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
            }
        }

        return found;
    }

    private static async Task ExitThroughSocketAsync(string socket, string sshPath, TimeProvider time)
    {
        try
        {
            var info = new ProcessStartInfo(sshPath) { UseShellExecute = false, RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var argument in new[] { "-F", "/dev/null", "-o", "ControlPath=" + socket, "-O", "exit", "nodeops" })
            {
                info.ArgumentList.Add(argument);
            }

            using var process = Process.Start(info);
            if (process is null)
            {
                return;
            }

            process.StandardInput.Close();
            using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(5), time);
            var output = process.StandardOutput.ReadToEndAsync(limit.Token);
            var error = process.StandardError.ReadToEndAsync(limit.Token);
            await process.WaitForExitAsync(limit.Token).ConfigureAwait(false);
            await Task.WhenAll(output, error).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            // The master goes away on its own after ControlPersist's idle time.
        }
    }
}
