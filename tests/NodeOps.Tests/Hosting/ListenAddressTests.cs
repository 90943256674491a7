using System.Net;
using System.Net.Sockets;
using NodeOps.Tests.TestBed;

namespace NodeOps.Tests.Hosting;

/// <summary>
/// Where the standalone host listens follows ASP.NET Core's conventions: Kestrel:Endpoints,
/// then --urls / ASPNETCORE_URLS, then Host:Url. The first two cases run the shipped executable as a user would.
/// </summary>
public sealed class ListenAddressTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("nodeops-listen-").FullName;

    [Fact]
    public async Task UrlsOnTheCommandLine_WinOverHostUrl()
    {
        var (ignored, wanted) = (ChildHostProcess.FreePort(), ChildHostProcess.FreePort());

        using var server = await ShippedExecutable.StartServerAsync(_folder, Loopback(wanted),
            [$"--urls={Loopback(wanted)}", $"--Host:Url={Loopback(ignored)}", .. Quiet()]);

        Assert.False(IsListening(ignored), server.Output);
    }

    [Fact]
    public async Task AspNetCoreUrlsInTheEnvironment_WinOverHostUrl()
    {
        var (ignored, wanted) = (ChildHostProcess.FreePort(), ChildHostProcess.FreePort());

        using var server = await ShippedExecutable.StartServerAsync(_folder, Loopback(wanted),
            [$"--Host:Url={Loopback(ignored)}", .. Quiet()], new Dictionary<string, string?> { ["ASPNETCORE_URLS"] = Loopback(wanted).ToString() });

        Assert.False(IsListening(ignored), server.Output);
    }

    [Fact]
    public async Task HostUrl_IsTheDefault_WhenNothingElseIsSet()
    {
        var port = ChildHostProcess.FreePort();

        using var server = await ShippedExecutable.StartServerAsync(_folder, Loopback(port), [$"--Host:Url={Loopback(port)}", .. Quiet()]);

        Assert.True(IsListening(port), server.Output);
    }

    [Fact]
    public async Task KestrelEndpoints_WinOverUrls()
    {
        var (urls, endpoint) = (ChildHostProcess.FreePort(), ChildHostProcess.FreePort());

        await using var host = await TestHost.StartAsync(new Dictionary<string, string?>
        {
            ["urls"] = Loopback(urls).ToString(),
            ["Kestrel:Endpoints:Main:Url"] = Loopback(endpoint).ToString(),
        });

        Assert.Equal(endpoint, host.BaseAddress.Port);
        Assert.False(IsListening(urls));
        (await host.Anonymous.GetApiAsync("/api/v1/features")).AssertStatus(HttpStatusCode.OK);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // A file the killed server still held; the temp folder is cleaned by the OS eventually.
        }
    }

    private static Uri Loopback(int port) => new($"http://127.0.0.1:{port}");

    private string[] Quiet() => [$"--Host:DataPath={Path.Combine(_folder, "data")}", "--Auth:BootstrapAdminPassword=listen-test-password", "--Auth:PasswordIterations=10000", "--Logging:LogLevel:Default=Warning"];

    private static bool IsListening(int port)
    {
        using var client = new TcpClient();
        try
        {
            client.Connect(IPAddress.Loopback, port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
