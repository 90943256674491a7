#:property PublishAot=false
// The client of bench/ws-flood: against one server process (by PID, on this machine), runs FLOODS floods of
// CONNECTIONS progress WebSockets over loopback. Each client subscribes to a task that does not exist and pings,
// waits for both answers, and stays open until the whole flood is up; then every client closes. Prints one line:
// RSS in MiB before, then during and after each flood, then after IDLE seconds of quiet, separated by '|'.
// Usage: flood URL TOKEN PID [FLOODS] [CONNECTIONS] [IDLE]. Every wait is bounded.
using System.Globalization;
using System.Net.WebSockets;
using System.Text;

var baseUrl = new Uri(args[0]);
var token = args[1];
var pid = int.Parse(args[2], CultureInfo.InvariantCulture);
var floods = args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 3;
var connections = args.Length > 4 ? int.Parse(args[4], CultureInfo.InvariantCulture) : 300;
var idle = TimeSpan.FromSeconds(args.Length > 5 ? int.Parse(args[5], CultureInfo.InvariantCulture) : 60);
if (floods is < 1 or > 10 || connections is < 1 or > 2000 || idle > TimeSpan.FromMinutes(10))
{
    Console.Error.WriteLine("floods 1-10, connections 1-2000, idle at most 600 s");
    return 2;
}

var target = new Uri($"ws://{baseUrl.Authority}/api/v1/progress/ws?token={Uri.EscapeDataString(token)}");
var samples = new List<double> { await SettledRssAsync(pid) };
for (var flood = 0; flood < floods; flood++)
{
    using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(3));
    var sockets = new ClientWebSocket[connections];
    using var connecting = new SemaphoreSlim(50);
    await Task.WhenAll(Enumerable.Range(0, connections).Select(async i =>
    {
        await connecting.WaitAsync(deadline.Token);
        try
        {
            sockets[i] = new ClientWebSocket();
            await sockets[i].ConnectAsync(target, deadline.Token);
            await ExchangeAsync(sockets[i], $"{{\"action\":\"subscribe\",\"task_id\":\"ssh-exec-flood-{flood}-{i}\"}}", deadline.Token);
            await ExchangeAsync(sockets[i], "{\"action\":\"ping\"}", deadline.Token);
        }
        finally
        {
            connecting.Release();
        }
    }));
    samples.Add(Rss(pid));
    await Task.WhenAll(sockets.Select(async socket =>
    {
        try
        {
            await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", deadline.Token);
        }
        catch (WebSocketException)
        {
            // The server already went; the flood is over either way.
        }

        socket.Dispose();
    }));
    samples.Add(await SettledRssAsync(pid));
}

await Task.Delay(idle);
samples.Add(Rss(pid));
Console.WriteLine(string.Join('|', samples.Select(s => s.ToString("0", CultureInfo.InvariantCulture))));
return 0;

static async Task ExchangeAsync(ClientWebSocket socket, string message, CancellationToken cancellationToken)
{
    await socket.SendAsync(Encoding.UTF8.GetBytes(message), WebSocketMessageType.Text, true, cancellationToken);
    var buffer = new byte[4096];
    WebSocketReceiveResult received;
    do
    {
        received = await socket.ReceiveAsync(buffer, cancellationToken);
    }
    while (!received.EndOfMessage);
}

// Resident set size of the server process, in MiB, from /proc.
static double Rss(int pid)
{
    var line = File.ReadLines($"/proc/{pid}/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
    return double.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024;
}

// RSS once the server has finished its closing work: sampled each second until two samples agree within 1 MiB (at most 10 s).
static async Task<double> SettledRssAsync(int pid)
{
    var last = Rss(pid);
    for (var i = 0; i < 10; i++)
    {
        await Task.Delay(TimeSpan.FromSeconds(1));
        var now = Rss(pid);
        if (Math.Abs(now - last) < 1)
        {
            return now;
        }

        last = now;
    }

    return last;
}
