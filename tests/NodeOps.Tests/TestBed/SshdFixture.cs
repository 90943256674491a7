using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;

namespace NodeOps.Tests.TestBed;

/// <summary>One sshd "node": its own loopback address and port, host key and folder.</summary>
public sealed class SshdNode
{
    internal SshdNode(string name, string address, int port, string folder)
    {
        Name = name;
        Address = address;
        Port = port;
        Folder = folder;
    }

    public string Name { get; }

    public string Address { get; }

    public int Port { get; }

    /// <summary>The node's own folder; remote commands see it as $NODEOPS_NODE_DIR.</summary>
    public string Folder { get; }

    public string HostKeyPath => Path.Combine(Folder, "ssh_host_ed25519_key");

    internal Process? Process { get; set; }
}

/// <summary>
/// Real OpenSSH servers on 127.0.0.x, each with its own host key, port and folder, started as the current user
/// (root here) from a generated sshd_config: ListenAddress, HostKey, AuthorizedKeysFile and PidFile all in the
/// fixture's temp folder, UsePAM no, StrictModes no. Sessions get NODEOPS_NODE and NODEOPS_NODE_DIR (sshd SetEnv),
/// so one command can leave per-node traces. The client key pair lives in the fixture folder; ~/.ssh is never
/// touched. Logins use a dedicated local user, created at start (only root can; useradd/chpasswd) and deleted on
/// dispose: it has a password for password tests, and a clean home, unlike root, whose shell start-up files on a
/// developer machine can be slow and noisy. Where sudo is installed the user also gets passwordless sudo, through its own
/// file in /etc/sudoers.d (checked with visudo first, removed on dispose), so playbooks with become run as on a real node.
/// Dispose kills exactly the sshd processes this fixture started and their session processes, by PID.
/// </summary>
public sealed class SshdFixture : IAsyncDisposable
{
    private readonly List<SshdNode> _nodes = [];
    private const string SudoersFolder = "/etc/sudoers.d";
    private const string Visudo = "/usr/sbin/visudo";
    private (string User, string Password)? _loginUser;
    private string? _sudoersFile;

    private SshdFixture(string folder, bool keyboardInteractive)
    {
        Folder = folder;
        KeyboardInteractive = keyboardInteractive;
    }

    /// <summary>
    /// Nodes that take passwords only through keyboard-interactive, answered by PAM (UsePAM yes, PasswordAuthentication
    /// no), as many distributions ship sshd.
    /// </summary>
    public bool KeyboardInteractive { get; }

    public string Folder { get; }

    public IReadOnlyList<SshdNode> Nodes => _nodes;

    /// <summary>The user logins use, with the client key or with <see cref="Password"/>.</summary>
    public string User => _loginUser?.User ?? throw new InvalidOperationException("The fixture has not started.");

    public string Password => _loginUser?.Password ?? throw new InvalidOperationException("The fixture has not started.");

    /// <summary>Whether the login user may run commands as root with sudo, without a password (false where sudo is not installed).</summary>
    public bool CanBecomeRoot => _sudoersFile is not null;

    public string ClientKeyPath => Path.Combine(Folder, "client_ed25519");

    /// <summary>Whether the nodes' sshd accepts LANG and LC_* from clients, as distribution defaults do.</summary>
    public bool AcceptsEnvironment { get; private init; } = true;

    public string ClientPrivateKey => File.ReadAllText(ClientKeyPath);

    /// <param name="keyboardInteractive">True gives nodes that accept keyboard-interactive logins through PAM.</param>
    /// <param name="acceptEnvironment">False gives nodes whose sshd accepts no environment variables from clients (no AcceptEnv).</param>
    public static async Task<SshdFixture> StartAsync(int count, string namePrefix = "node", bool keyboardInteractive = false, bool acceptEnvironment = true)
    {
        var fixture = new SshdFixture(Directory.CreateTempSubdirectory("nodeops-sshd-").FullName, keyboardInteractive) { AcceptsEnvironment = acceptEnvironment };
        try
        {
            // sshd refuses to start without its privilege-separation directory.
            Directory.CreateDirectory("/run/sshd");
            // The login user reads authorized_keys and writes in its node folders.
            if (!OperatingSystem.IsLinux())
            {
                throw new PlatformNotSupportedException("The sshd test nodes need Linux.");
            }

            File.SetUnixFileMode(fixture.Folder, (UnixFileMode)0b111_101_101);
            await fixture.CreateLoginUserAsync();
            await RunAsync("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-C", "nodeops-test-client", "-f", fixture.ClientKeyPath]);
            File.Copy(fixture.ClientKeyPath + ".pub", Path.Combine(fixture.Folder, "authorized_keys"));
            File.SetUnixFileMode(Path.Combine(fixture.Folder, "authorized_keys"), (UnixFileMode)0b110_100_100);
            var starts = new List<Task>();
            for (var i = 0; i < count; i++)
            {
                var address = "127.0.0." + (2 + (i % 250)).ToString(CultureInfo.InvariantCulture);
                var node = new SshdNode($"{namePrefix}{i + 1}", address, FreePort(address), Path.Combine(fixture.Folder, $"{namePrefix}{i + 1}"));
                fixture._nodes.Add(node);
                starts.Add(fixture.StartNodeAsync(node, newHostKey: true));
            }

            await Task.WhenAll(starts);
            return fixture;
        }
        catch
        {
            await fixture.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Stops a node and starts it again with a freshly generated host key on the same address and port: what a
    /// reinstalled server looks like.
    /// </summary>
    public async Task ReplaceHostKeyAsync(SshdNode node)
    {
        ArgumentNullException.ThrowIfNull(node);
        StopNode(node);
        await StartNodeAsync(node, newHostKey: true);
    }

    /// <summary>Stops a node and starts it again with the same host key, address and port: every open connection to it drops.</summary>
    public async Task RestartAsync(SshdNode node)
    {
        ArgumentNullException.ThrowIfNull(node);
        StopNode(node);
        await StartNodeAsync(node, newHostKey: false);
    }

    /// <summary>
    /// Makes a new client key pair in the fixture folder and authorizes it on every node; returns the private key text.
    /// <paramref name="pem"/> writes the classic PEM format (RSA) instead of the OpenSSH one.
    /// </summary>
    public async Task<string> AuthorizeNewKeyAsync(string type, string passphrase, bool pem = false)
    {
        ArgumentNullException.ThrowIfNull(type);
        ArgumentNullException.ThrowIfNull(passphrase);
        var file = Path.Combine(Folder, "client_" + Convert.ToHexString(RandomNumberGenerator.GetBytes(4)).ToLowerInvariant());
        // A test-only passphrase for a throwaway key in the fixture folder; the product never puts one on a command line.
        string[] arguments = ["-q", "-t", type, "-N", passphrase, "-C", "nodeops-test-client", "-f", file, .. (pem ? new[] { "-m", "PEM" } : [])];
        await RunAsync("ssh-keygen", arguments);
        await File.AppendAllTextAsync(Path.Combine(Folder, "authorized_keys"), await File.ReadAllTextAsync(file + ".pub"));
        return await File.ReadAllTextAsync(file);
    }

    private async Task CreateLoginUserAsync()
    {
        var user = "nodeops" + Convert.ToHexString(RandomNumberGenerator.GetBytes(3)).ToLowerInvariant();
        var password = "pw-" + Convert.ToHexString(RandomNumberGenerator.GetBytes(12));
        var home = Path.Combine(Folder, "home");
        await RunAsync("useradd", ["-M", "-d", home, "-s", "/bin/bash", user]);
        _loginUser = (user, password);
        Directory.CreateDirectory(home);
        await RunAsync("chown", [user, home]);
        await RunAsync("chpasswd", [], stdin: $"{user}:{password}\n");
        await AllowSudoAsync(user);
    }

    /// <summary>
    /// Gives the user passwordless sudo with a file of its own. The rule is written under a name sudo skips (it has a
    /// dot), checked with visudo, and only then renamed into place, so a broken rule never reaches sudo's configuration.
    /// </summary>
    private async Task AllowSudoAsync(string user)
    {
        if (!OperatingSystem.IsLinux() || !File.Exists(Visudo) || !Directory.Exists(SudoersFolder))
        {
            return;
        }

        var target = Path.Combine(SudoersFolder, "nodeops-test-" + user);
        var staging = Path.Combine(SudoersFolder, ".nodeops-test-" + user + ".new");
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.GroupRead };
        try
        {
            await using (var stream = new FileStream(staging, options))
            await using (var writer = new StreamWriter(stream))
            {
                await writer.WriteAsync($"{user} ALL=(ALL:ALL) NOPASSWD: ALL\n");
            }

            await RunAsync(Visudo, ["-c", "-q", "-f", staging]);
            File.Move(staging, target);
            _sudoersFile = target;
        }
        finally
        {
            File.Delete(staging);
        }
    }

    /// <summary>Lines of a file in a node's folder (0 when it does not exist).</summary>
    public static int CountLines(SshdNode node, string fileName)
    {
        ArgumentNullException.ThrowIfNull(node);
        var path = Path.Combine(node.Folder, fileName);
        return File.Exists(path) ? File.ReadAllLines(path).Length : 0;
    }

    /// <summary>Processes whose command line contains the text (to see whether a remote command is still running).</summary>
    public static IReadOnlyList<int> ProcessesWithCommandLine(string text)
    {
        var found = new List<int>();
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), NumberStyles.None, CultureInfo.InvariantCulture, out var pid) || pid == Environment.ProcessId)
            {
                continue;
            }

            try
            {
                var commandLine = File.ReadAllText(Path.Combine(directory, "cmdline")).Replace('\0', ' ');
                if (commandLine.Contains(text, StringComparison.Ordinal))
                {
                    found.Add(pid);
                }
            }
            catch (IOException)
            {
            }
            catch (UnauthorizedAccessException)
            {
            }
        }

        return found;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var node in _nodes)
        {
            StopNode(node);
        }

        if (_sudoersFile is { } sudoers)
        {
            File.Delete(sudoers);
            _sudoersFile = null;
        }

        if (_loginUser is { } user)
        {
            // Whatever still runs as this fixture's own user was started on its nodes by a test (a playbook task a
            // cancel left behind, say); stop it by PID so it dies with the fixture and userdel can succeed.
            var deadline = Stopwatch.StartNew();
            while (StopProcessesOf(user.User) > 0 && deadline.Elapsed < TimeSpan.FromSeconds(5))
            {
                await Task.Delay(100);
            }

            try
            {
                await RunAsync("userdel", [user.User]);
            }
            catch (InvalidOperationException)
            {
                // Reported by the test run's output; nothing else to do here.
            }
        }

        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    /// <summary>Kills, by PID, every process owned by the named user (the fixture's own login user only); returns how many it found.</summary>
    private static int StopProcessesOf(string userName)
    {
        var uid = UidOf(userName);
        if (uid is null)
        {
            return 0;
        }

        var found = 0;
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            {
                continue;
            }

            try
            {
                var owner = File.ReadLines(Path.Combine(directory, "status")).FirstOrDefault(l => l.StartsWith("Uid:", StringComparison.Ordinal));
                if (owner is not null && owner.Split('\t', StringSplitOptions.RemoveEmptyEntries).ElementAtOrDefault(1) == uid)
                {
                    found++;
                    using var process = Process.GetProcessById(pid);
                    process.Kill();
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception)
            {
                // The process ended on its own meanwhile.
            }
        }

        return found;
    }

    private static string? UidOf(string userName) =>
        File.ReadLines("/etc/passwd").Select(l => l.Split(':')).FirstOrDefault(f => f.Length > 2 && f[0] == userName)?[2];

    private async Task StartNodeAsync(SshdNode node, bool newHostKey)
    {
        Directory.CreateDirectory(node.Folder);
        await RunAsync("chown", [User, node.Folder]);
        if (newHostKey)
        {
            File.Delete(node.HostKeyPath);
            File.Delete(node.HostKeyPath + ".pub");
            await RunAsync("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-C", node.Name, "-f", node.HostKeyPath]);
        }

        var config = Path.Combine(node.Folder, "sshd_config");
        await File.WriteAllTextAsync(config, $"""
            ListenAddress {node.Address}:{node.Port}
            HostKey {node.HostKeyPath}
            AuthorizedKeysFile {Path.Combine(Folder, "authorized_keys")}
            PidFile {Path.Combine(node.Folder, "sshd.pid")}
            UsePAM {(KeyboardInteractive ? "yes" : "no")}
            StrictModes no
            PermitRootLogin yes
            PubkeyAuthentication yes
            PasswordAuthentication {(KeyboardInteractive ? "no" : "yes")}
            KbdInteractiveAuthentication {(KeyboardInteractive ? "yes" : "no")}
            MaxStartups 200
            MaxSessions 200
            SetEnv NODEOPS_NODE={node.Name} NODEOPS_NODE_DIR={node.Folder}
            {(AcceptsEnvironment ? "AcceptEnv LANG LC_*" : "")}
            Subsystem sftp internal-sftp
            LogLevel ERROR

            """);
        var start = new ProcessStartInfo("/usr/sbin/sshd") { UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var argument in new[] { "-D", "-e", "-f", config })
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("sshd did not start");
        node.Process = process;
        var errors = new StringBuilder();
        process.ErrorDataReceived += (_, e) =>
        {
            lock (errors)
            {
                errors.AppendLine(e.Data);
            }
        };
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        var clock = Stopwatch.StartNew();
        // Generous: on a loaded machine starting hundreds of nodes at once, sshd can take long to answer.
        while (clock.Elapsed < TimeSpan.FromSeconds(60))
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"sshd for {node.Name} exited: {errors}");
            }

            if (await HasBannerAsync(node))
            {
                return;
            }

            await Task.Delay(20);
        }

        throw new InvalidOperationException($"sshd for {node.Name} did not answer on {node.Address}:{node.Port}: {errors}");
    }

    private static void StopNode(SshdNode node)
    {
        if (node.Process is not { } process)
        {
            return;
        }

        // Session processes are the listener's descendants; kill them first so no connection survives.
        foreach (var pid in Descendants(process.Id))
        {
            try
            {
                Process.GetProcessById(pid).Kill();
            }
            catch (ArgumentException)
            {
            }
            catch (InvalidOperationException)
            {
            }
        }

        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                process.WaitForExit(5000);
            }
        }
        catch (InvalidOperationException)
        {
        }

        process.Dispose();
        node.Process = null;
    }

    private static List<int> Descendants(int root)
    {
        var children = new Dictionary<int, List<int>>();
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            {
                continue;
            }

            try
            {
                var stat = File.ReadAllText(Path.Combine(directory, "stat"));
                // The command name is in parentheses and may hold spaces; the parent PID is the second field after it.
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                var parent = int.Parse(fields[1], CultureInfo.InvariantCulture);
                if (!children.TryGetValue(parent, out var list))
                {
                    children[parent] = list = [];
                }

                list.Add(pid);
            }
            catch (IOException)
            {
            }
        }

        var result = new List<int>();
        var queue = new Queue<int>([root]);
        while (queue.TryDequeue(out var current) && result.Count < 100_000)
        {
            foreach (var child in children.GetValueOrDefault(current) ?? [])
            {
                result.Add(child);
                queue.Enqueue(child);
            }
        }

        result.Reverse();
        return result;
    }

    private static async Task<bool> HasBannerAsync(SshdNode node)
    {
        try
        {
            using var client = new TcpClient();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(1));
            await client.ConnectAsync(IPAddress.Parse(node.Address), node.Port, timeout.Token);
            var buffer = new byte[8];
            var read = await client.GetStream().ReadAsync(buffer, timeout.Token);
            return read >= 4 && Encoding.ASCII.GetString(buffer, 0, read).StartsWith("SSH-", StringComparison.Ordinal);
        }
        catch (Exception ex) when (ex is SocketException or IOException or OperationCanceledException)
        {
            return false;
        }
    }

    private static int FreePort(string address)
    {
        using var listener = new TcpListener(IPAddress.Parse(address), 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task RunAsync(string fileName, string[] arguments, string? stdin = null)
    {
        var start = new ProcessStartInfo(fileName) { UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true, RedirectStandardInput = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{fileName} did not start");
        if (stdin is not null)
        {
            await process.StandardInput.WriteAsync(stdin);
        }

        process.StandardInput.Close();
        var error = process.StandardError.ReadToEndAsync();
        await process.StandardOutput.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await process.WaitForExitAsync(timeout.Token);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{fileName} failed ({process.ExitCode}): {await error}");
        }
    }
}
