using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using NodeOps.Storage.Azure;

namespace NodeOps.Tests.TestBed;

/// <summary>
/// Runs the real Azurite (Table, Queue and Blob emulator) on free loopback ports, in memory, in its own temp folder.
/// Azurite is installed with npm into the repository's .tools/azurite on first use. Dispose kills exactly the
/// process tree this fixture started, also when tests failed. <see cref="AzuriteOAuthFixture"/> runs it over
/// HTTPS with bearer-token checks instead.
/// </summary>
public class AzuriteFixture : IAsyncLifetime
{
    public const string Version = "3.37.0";

    private const int MaxStartAttempts = 3;
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan InstallTimeout = TimeSpan.FromMinutes(5);

    private readonly ConcurrentQueue<string> _output = new();
    private readonly bool _oauth;
    private Process? _process;
    private string? _workFolder;

    public AzuriteFixture()
        : this(oauth: false)
    {
    }

    /// <param name="oauth">HTTPS with a self-signed certificate and "--oauth basic"; the API version check stays on.</param>
    protected AzuriteFixture(bool oauth)
    {
        _oauth = oauth;
    }

    /// <summary>The HTTPS certificate (public part) when the fixture runs with OAuth; null otherwise.</summary>
    public X509Certificate2? Certificate { get; private set; }

    public int TablePort { get; private set; }

    public int QueuePort { get; private set; }

    /// <summary>Durable Task's Azure Storage backend also keeps leases and large messages in blobs.</summary>
    public int BlobPort { get; private set; }

    public string ConnectionString =>
        $"DefaultEndpointsProtocol=http;AccountName={StorageConnectionString.DevelopmentAccount};AccountKey={StorageConnectionString.DevelopmentKey};" +
        $"TableEndpoint=http://127.0.0.1:{TablePort}/{StorageConnectionString.DevelopmentAccount};" +
        $"QueueEndpoint=http://127.0.0.1:{QueuePort}/{StorageConnectionString.DevelopmentAccount};" +
        // DurableTask.AzureStorage keeps its partition leases and large messages in blobs.
        $"BlobEndpoint=http://127.0.0.1:{BlobPort}/{StorageConnectionString.DevelopmentAccount}";

    public async Task InitializeAsync()
    {
        var script = await EnsureInstalledAsync().ConfigureAwait(false);
        _workFolder = Directory.CreateTempSubdirectory("nodeops-azurite-").FullName;
        if (_oauth)
        {
            Certificate = AzuriteCertificate.Write(_workFolder);
        }

        // Killing the test host outright skips Dispose; this still stops the emulator on a normal exit.
        AppDomain.CurrentDomain.ProcessExit += OnProcessExit;

        for (var attempt = 1; attempt <= MaxStartAttempts; attempt++)
        {
            // Another process may take a probed port before Azurite binds it; a new set of ports is then tried.
            if (await TryStartAsync(script).ConfigureAwait(false))
            {
                return;
            }

            StopProcess();
        }

        throw new InvalidOperationException($"Azurite did not start after {MaxStartAttempts} attempts. Output:\n{string.Join('\n', _output)}");
    }

    public Task DisposeAsync()
    {
        AppDomain.CurrentDomain.ProcessExit -= OnProcessExit;
        StopProcess();
        Certificate?.Dispose();
        if (_workFolder is not null && Directory.Exists(_workFolder))
        {
            Directory.Delete(_workFolder, recursive: true);
        }

        return Task.CompletedTask;
    }

    private async Task<bool> TryStartAsync(string script)
    {
        var (blobPort, queuePort, tablePort) = (FreePort(), FreePort(), FreePort());
        // --location cannot be combined with --inMemoryPersistence; the working folder is where Azurite would write.
        var start = new ProcessStartInfo("node")
        {
            WorkingDirectory = _workFolder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        var arguments = new List<string>
        {
            script,
            "--blobHost", "127.0.0.1", "--blobPort", blobPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--queueHost", "127.0.0.1", "--queuePort", queuePort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--tableHost", "127.0.0.1", "--tablePort", tablePort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--inMemoryPersistence", "--loose", "--silent", "--disableTelemetry",
        };
        arguments.AddRange(_oauth
            ? ["--cert", AzuriteCertificate.CertificateFile(_workFolder!), "--key", AzuriteCertificate.KeyFile(_workFolder!), "--oauth", "basic"]
            : ["--skipApiVersionCheck"]);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        _process = new Process { StartInfo = start, EnableRaisingEvents = true };
        _process.OutputDataReceived += (_, e) => Remember(e.Data);
        _process.ErrorDataReceived += (_, e) => Remember(e.Data);
        _process.Start();
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();

        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < StartTimeout)
        {
            if (_process.HasExited)
            {
                return false;
            }

            if (await AcceptsAsync(tablePort).ConfigureAwait(false) && await AcceptsAsync(queuePort).ConfigureAwait(false))
            {
                (TablePort, QueuePort, BlobPort) = (tablePort, queuePort, blobPort);
                return true;
            }

            await Task.Delay(100).ConfigureAwait(false);
        }

        return false;
    }

    private void StopProcess()
    {
        var process = Interlocked.Exchange(ref _process, null);
        if (process is null)
        {
            return;
        }

        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                process.WaitForExit(10_000);
            }
        }
        catch (InvalidOperationException)
        {
            // It exited between the check and the kill.
        }
        finally
        {
            process.Dispose();
        }
    }

    private void OnProcessExit(object? sender, EventArgs e) => StopProcess();

    private void Remember(string? line)
    {
        if (line is null)
        {
            return;
        }

        _output.Enqueue(line);
        while (_output.Count > 200 && _output.TryDequeue(out _))
        {
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task<bool> AcceptsAsync(int port)
    {
        using var client = new TcpClient();
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(1));
            await client.ConnectAsync(IPAddress.Loopback, port, timeout.Token).ConfigureAwait(false);
            return true;
        }
        catch (Exception ex) when (ex is SocketException or OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>Installs Azurite once per repository; a file lock keeps parallel test runs from installing twice.</summary>
    private static async Task<string> EnsureInstalledAsync()
    {
        var root = RepositoryRoot();
        var prefix = Path.Combine(root, ".tools", "azurite");
        var script = Path.Combine(prefix, "node_modules", "azurite", "dist", "src", "azurite.js");
        if (File.Exists(script))
        {
            return script;
        }

        Directory.CreateDirectory(prefix);
        using var installLock = await LockAsync(Path.Combine(root, ".tools", "azurite.install.lock")).ConfigureAwait(false);
        if (File.Exists(script))
        {
            return script;
        }

        var install = new ProcessStartInfo("npm")
        {
            WorkingDirectory = root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { "install", "--prefix", prefix, $"azurite@{Version}", "--no-audit", "--no-fund" })
        {
            install.ArgumentList.Add(argument);
        }

        using var process = Process.Start(install) ?? throw new InvalidOperationException("npm could not be started.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(InstallTimeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new InvalidOperationException($"npm install azurite@{Version} took longer than {InstallTimeout}.");
        }

        if (process.ExitCode != 0 || !File.Exists(script))
        {
            throw new InvalidOperationException(
                $"npm install azurite@{Version} failed ({process.ExitCode}):\n{await stdout.ConfigureAwait(false)}\n{await stderr.ConfigureAwait(false)}");
        }

        return script;
    }

    private static async Task<FileStream> LockAsync(string path)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.DeleteOnClose);
            }
            catch (IOException) when (deadline.Elapsed < InstallTimeout)
            {
                await Task.Delay(500).ConfigureAwait(false);
            }
        }
    }

    private static string RepositoryRoot() => RepositoryFolder.Root();
}
