using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using NodeOps.Auth;
using NodeOps.Tests.TestBed;

namespace NodeOps.Tests.Api;

/// <summary>
/// Anonymous clients rotating through user names, as in the audit: each name is tried once, so only the
/// per-address budget can stop them, and the password-hash gate keeps the rest of the API answering meanwhile.
/// </summary>
public sealed class LoginFloodApiTests : HostedTest
{
    private const int PerClientBudget = 20;
    private const int Workers = 8;
    private const int RequestsPerWorker = 20;

    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Auth:MaxLoginFailuresPerClient"] = PerClientBudget.ToString(CultureInfo.InvariantCulture),
        // One hash at a time; every worker may wait, long enough that a slow machine never turns waits into refusals,
        // so the flood's outcome is the limiter's alone.
        ["Auth:MaxConcurrentPasswordHashes"] = "1",
        ["Auth:MaxWaitingPasswordHashes"] = Workers.ToString(CultureInfo.InvariantCulture),
        ["Auth:PasswordHashWaitTimeout"] = "00:01:00",
    };

    [Fact]
    public async Task RotatingNamesFromOneAddress_AreLimitedPerAddress_WhileOtherRoutesKeepAnswering()
    {
        var logins = new ConcurrentBag<ApiResponse>();
        var flood = Task.WhenAll(Enumerable.Range(0, Workers).Select(worker => Task.Run(async () =>
        {
            for (var i = 0; i < RequestsPerWorker; i++)
            {
                var name = $"flood-{(worker * RequestsPerWorker + i) % 1000:D4}";
                logins.Add(await Host.Anonymous.PostJsonAsync("/api/v1/auth/login", new { username = name, password = "guess-" + i }));
            }
        })));

        var features = new List<HttpStatusCode>();
        do
        {
            features.Add((await Host.Anonymous.GetApiAsync("/api/v1/features")).Status);
        }
        while (!flood.IsCompleted && features.Count < 500);
        await flood;

        Assert.All(features, status => Assert.Equal(HttpStatusCode.OK, status));
        Assert.All(logins, r => Assert.Contains(r.Status, new[] { HttpStatusCode.Unauthorized, HttpStatusCode.TooManyRequests }));
        var refused = logins.Where(r => r.Status == HttpStatusCode.TooManyRequests).ToList();
        // The limiter's refusals, not the hash gate's (those carry PASSWORD_CHECK_BUSY).
        Assert.NotEmpty(refused);
        Assert.All(refused, r => Assert.False(r.Json.TryGetProperty("error_code", out _), r.Body));
        Assert.All(refused, r =>
        {
            r.AssertError(HttpStatusCode.TooManyRequests);
            Assert.Equal("请求过于频繁", r.Json.GetProperty("message").GetString());
            Assert.True(r.Headers.RetryAfter?.Delta > TimeSpan.Zero, r.Body);
        });
        // Checked passwords: the budget, plus at most the requests that were already past the check when it ran out.
        Assert.InRange(logins.Count(r => r.Status == HttpStatusCode.Unauthorized), 1, PerClientBudget + Workers - 1);
    }

    [Fact]
    public async Task SpentAddress_IsRefusedEvenForTheRightPassword_WhileAnotherAddressSignsIn()
    {
        for (var i = 0; i < PerClientBudget; i++)
        {
            (await Host.Anonymous.PostJsonAsync("/api/v1/auth/login", new { username = $"flood-{i:D4}", password = "guess" }))
                .AssertError(HttpStatusCode.Unauthorized);
        }

        var blocked = await Host.Anonymous.PostJsonAsync("/api/v1/auth/login", new { username = "admin", password = TestHost.AdminPassword });
        using var elsewhere = ClientFrom(IPAddress.Parse("127.0.0.2"));
        var other = await elsewhere.PostJsonAsync("/api/v1/auth/login", new { username = "admin", password = TestHost.AdminPassword });

        blocked.AssertError(HttpStatusCode.TooManyRequests);
        Assert.True(blocked.Headers.RetryAfter?.Delta > TimeSpan.Zero, blocked.Body);
        other.AssertStatus(HttpStatusCode.OK);
    }

    [Fact]
    public async Task FullHashGate_AnswersLogins429AtOnce_InTheEnvelope_WhileFeaturesAnswers()
    {
        await using var host = await TestHost.StartAsync(new Dictionary<string, string?>
        {
            ["Auth:MaxConcurrentPasswordHashes"] = "1",
            ["Auth:MaxWaitingPasswordHashes"] = "0",
        });
        using var release = new ManualResetEventSlim();
        // Whatever holds the only slot, a login that needs a hash is turned away instead of queueing a thread.
        var holder = host.GetRequiredService<PasswordHashGate>().RunAsync(() => release.Wait(TimeSpan.FromSeconds(60)));
        try
        {
            var unknown = await host.Anonymous.PostJsonAsync("/api/v1/auth/login", new { username = "nobody-here", password = "guess" });
            var known = await host.Anonymous.PostJsonAsync("/api/v1/auth/login", new { username = "admin", password = TestHost.AdminPassword });
            var features = await host.Anonymous.GetApiAsync("/api/v1/features");

            foreach (var busy in new[] { unknown, known })
            {
                busy.AssertError(HttpStatusCode.TooManyRequests);
                Assert.Equal("PASSWORD_CHECK_BUSY", busy.Json.GetProperty("error_code").GetString());
                Assert.True(busy.Headers.RetryAfter?.Delta > TimeSpan.Zero, busy.Body);
            }

            features.AssertStatus(HttpStatusCode.OK);
        }
        finally
        {
            release.Set();
            await holder;
        }

        // A busy refusal is no failed guess: the slot is free again and the right password signs in.
        Assert.False(string.IsNullOrEmpty(await host.LoginAsync("admin", TestHost.AdminPassword)));
    }

    [Fact]
    public async Task RefusedLogin_IsAnsweredOnlyAfterTheRefusalDelay_SoAFloodRunsAtItsConnectionsPace()
    {
        using var client = ClientFrom(IPAddress.Parse("127.0.0.3"));
        for (var i = 0; i < PerClientBudget; i++)
        {
            (await client.PostJsonAsync("/api/v1/auth/login", new { username = $"pace-{i}", password = "guess" })).AssertStatus(HttpStatusCode.Unauthorized);
        }

        var clock = System.Diagnostics.Stopwatch.StartNew();
        var refused = await client.PostJsonAsync("/api/v1/auth/login", new { username = "pace-next", password = "guess" });

        refused.AssertError(HttpStatusCode.TooManyRequests);
        // A lower bound only: a slow machine makes it longer, never shorter.
        Assert.True(clock.Elapsed >= TimeSpan.FromMilliseconds(900), $"answered after {clock.Elapsed}");
    }

    /// <summary>A client whose connections leave from another loopback address, so the server sees another client.</summary>
    private HttpClient ClientFrom(IPAddress local) => new(new SocketsHttpHandler
    {
        ConnectCallback = async (context, cancellationToken) =>
        {
            var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            try
            {
                socket.Bind(new IPEndPoint(local, 0));
                await socket.ConnectAsync(context.DnsEndPoint, cancellationToken);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        },
    })
    { BaseAddress = Host.BaseAddress, Timeout = TimeSpan.FromSeconds(100) };
}
