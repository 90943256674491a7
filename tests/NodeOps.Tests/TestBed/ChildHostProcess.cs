using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;

namespace NodeOps.Tests.TestBed;

/// <summary>
/// NodeOps in a separate OS process (the <see cref="ChildHost"/> entry point with a saved in-test catalog), so a
/// test can kill it like a crash and start another on the same data folder. Dispose kills whatever is left of it.
/// </summary>
public sealed class ChildHostProcess : IDisposable
{
    public const string AdminPassword = "child-host-admin-password";

    private ChildHostProcess(Uri baseAddress, Process process)
    {
        BaseAddress = baseAddress;
        Process = process;
    }

    public Uri BaseAddress { get; }

    public Process Process { get; }

    /// <summary>
    /// Starts the child with short leases and polling, so recovery after a kill is quick, and waits until it answers.
    /// <paramref name="settings"/> ("Section:Key" pairs) come last, so they win (e.g. the Azure Storage provider).
    /// </summary>
    public static async Task<ChildHostProcess> StartAsync(string catalogFile, string dataPath, IReadOnlyDictionary<string, string?>? settings = null)
    {
        var url = new Uri($"http://127.0.0.1:{FreePort()}");
        var start = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[]
        {
            typeof(ChildHost).Assembly.Location, ChildHost.CatalogSwitch, catalogFile,
            $"--Host:Url={url}", $"--Host:DataPath={dataPath}", $"--Auth:BootstrapAdminPassword={AdminPassword}", "--Auth:PasswordIterations=10000",
            "--Orchestration:LeaseDuration=00:00:06", "--Orchestration:MaxPollInterval=00:00:00.200", "--Logging:LogLevel:Default=Warning",
        })
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            start.ArgumentList.Add($"--{key}={value}");
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("the child host did not start");
        var child = new ChildHostProcess(url, process);
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await WaitUntilAnsweringAsync(process, url);
            return child;
        }
        catch
        {
            child.Dispose();
            throw;
        }
    }

    public async Task<HttpClient> SignInAsync()
    {
        var client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        using var login = await client.PostAsJsonAsync("/api/v1/auth/login", new { username = "admin", password = AdminPassword });
        var body = await login.Content.ReadAsStringAsync();
        Assert.True(login.IsSuccessStatusCode, body);
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", JsonDocument.Parse(body).RootElement.GetProperty("data").GetProperty("token").GetString());
        return client;
    }

    /// <summary>Kills the process, and its children too unless the test wants them to notice the loss on their own.</summary>
    public void Kill(bool entireProcessTree = true)
    {
        try
        {
            if (!Process.HasExited)
            {
                Process.Kill(entireProcessTree);
                Process.WaitForExit(10_000);
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
    }

    public void Dispose()
    {
        Kill();
        Process.Dispose();
    }

    /// <summary>Waits until the NodeOps process answers GET /api/v1/features at the address, failing early if it exits.</summary>
    internal static async Task WaitUntilAnsweringAsync(Process process, Uri baseAddress)
    {
        using var probe = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(2) };
        var clock = Stopwatch.StartNew();
        // Generous: on a loaded machine a child on Azure Storage (tables and task hub to create) may take minutes.
        while (clock.Elapsed < TimeSpan.FromSeconds(180))
        {
            Assert.False(process.HasExited, $"the child host exited with {(process.HasExited ? process.ExitCode : 0)}");
            try
            {
                using var response = await probe.GetAsync(new Uri("/api/v1/features", UriKind.Relative));
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                // Not listening yet.
            }

            await Task.Delay(200);
        }

        throw new TimeoutException("the child host did not answer");
    }

    internal static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
