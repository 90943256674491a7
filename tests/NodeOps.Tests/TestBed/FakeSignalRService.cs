using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace NodeOps.Tests.TestBed;

/// <summary>A message the fake service delivered to one client connection.</summary>
public sealed record FakeSignalRMessage(string Target, JsonElement Argument);

/// <summary>
/// A loopback stand-in for Azure SignalR Service in serverless mode, speaking the data-plane REST API (2022-06-01)
/// as the reference describes it: every request needs api-version and a bearer JWT signed (HS256) with the access key
/// whose audience is the request URL without its query; group membership is per connection; sends go to a group's
/// connections or to one connection. Client connections are simulated: <see cref="ConnectAsync"/> checks a negotiate
/// token (audience = the client URL, user id in <c>nameid</c>), and <see cref="InvokeAsync"/> makes the upstream call
/// the service would make for a client invocation, signed with X-ASRS-Signature.
/// </summary>
public sealed class FakeSignalRService : IAsyncDisposable
{
    public const string Hub = "progress";
    private readonly WebApplication _app;
    private readonly object _gate = new();
    private readonly Dictionary<string, HashSet<string>> _groups = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (string UserId, List<FakeSignalRMessage> Inbox)> _connections = new(StringComparer.Ordinal);
    private readonly List<string> _requests = [];
    private readonly List<string> _rejections = [];
    private readonly HttpClient _upstream = new() { Timeout = TimeSpan.FromSeconds(60) };
    private int _failNext;
    private int _busyAnswers;

    private FakeSignalRService(WebApplication app, string accessKey)
    {
        _app = app;
        AccessKey = accessKey;
    }

    public string AccessKey { get; }

    public Uri Endpoint { get; private set; } = null!;

    public string ConnectionString => $"Endpoint={Endpoint.GetLeftPart(UriPartial.Authority)};AccessKey={AccessKey};Version=1.0;";

    /// <summary>Every REST request, as "METHOD path".</summary>
    public IReadOnlyList<string> Requests
    {
        get
        {
            lock (_gate)
            {
                return [.. _requests];
            }
        }
    }

    /// <summary>Requests refused for a wrong path, version, token or audience (should stay empty).</summary>
    public IReadOnlyList<string> Rejections
    {
        get
        {
            lock (_gate)
            {
                return [.. _rejections];
            }
        }
    }

    public static async Task<FakeSignalRService> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var service = new FakeSignalRService(app, Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)));
        app.Run(service.HandleAsync);
        await app.StartAsync();
        service.Endpoint = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        return service;
    }

    /// <summary>503s answered so far.</summary>
    public int BusyAnswers => Volatile.Read(ref _busyAnswers);

    /// <summary>The next <paramref name="count"/> REST requests get 503, as a busy service answers.</summary>
    public void FailNext(int count) => Interlocked.Exchange(ref _failNext, count);

    public string[] GroupMembers(string group)
    {
        lock (_gate)
        {
            return _groups.TryGetValue(group, out var members) ? [.. members] : [];
        }
    }

    public FakeSignalRMessage[] Inbox(string connectionId)
    {
        lock (_gate)
        {
            return [.. _connections[connectionId].Inbox];
        }
    }

    /// <summary>The user id the client token carried for a connection.</summary>
    public string UserOf(string connectionId)
    {
        lock (_gate)
        {
            return _connections[connectionId].UserId;
        }
    }

    /// <summary>A client connecting with what negotiate returned; the token must be the service's client token.</summary>
    public async Task<string> ConnectAsync(string url, string accessToken)
    {
        var expectedUrl = $"{Endpoint.GetLeftPart(UriPartial.Authority)}/client/?hub={Hub}";
        if (url != expectedUrl)
        {
            throw new InvalidOperationException($"negotiate sent the client to {url}, not {expectedUrl}");
        }

        var token = await ValidateAsync(accessToken, expectedUrl) ?? throw new InvalidOperationException("the client access token is not valid for the service");
        var userId = token.GetClaim("nameid").Value;
        var connectionId = Guid.NewGuid().ToString("N");
        lock (_gate)
        {
            _connections[connectionId] = (userId, []);
        }

        return connectionId;
    }

    /// <summary>
    /// What the service does when a client invokes a hub method: POST the invocation to the upstream URL with the
    /// X-ASRS headers. Returns the completion message the upstream answered (null for a non-blocking call).
    /// </summary>
    public async Task<(int Status, JsonElement? Completion)> InvokeAsync(Uri upstream, string connectionId, string target, string argument, string? signature = null)
    {
        string userId;
        lock (_gate)
        {
            userId = _connections[connectionId].UserId;
        }

        var body = JsonSerializer.Serialize(new { type = 1, invocationId = "1", target, arguments = new[] { argument } }) + "\u001e";
        using var request = new HttpRequestMessage(HttpMethod.Post, upstream) { Content = new StringContent(body, Encoding.UTF8) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.Add("X-ASRS-Connection-Id", connectionId);
        request.Headers.Add("X-ASRS-Hub", Hub);
        request.Headers.Add("X-ASRS-Category", "messages");
        request.Headers.Add("X-ASRS-Event", target);
        request.Headers.Add("X-ASRS-User-Id", userId);
        request.Headers.Add("X-ASRS-Signature", signature ?? "sha256=" + Convert.ToHexStringLower(
            HMACSHA256.HashData(Encoding.UTF8.GetBytes(AccessKey), Encoding.UTF8.GetBytes(connectionId))));
        using var response = await _upstream.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode || text.Length == 0)
        {
            return ((int)response.StatusCode, null);
        }

        return ((int)response.StatusCode, JsonDocument.Parse(text.TrimEnd('\u001e')).RootElement.Clone());
    }

    public async ValueTask DisposeAsync()
    {
        _upstream.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task HandleAsync(HttpContext http)
    {
        var request = http.Request;
        var path = request.Path.Value ?? "";
        lock (_gate)
        {
            _requests.Add($"{request.Method} {path}");
        }

        var audience = $"{Endpoint.GetLeftPart(UriPartial.Authority)}{request.PathBase}{path}";
        var header = request.Headers.Authorization.ToString();
        if (request.Query["api-version"] != "2022-06-01"
            || !header.StartsWith("Bearer ", StringComparison.Ordinal)
            || await ValidateAsync(header["Bearer ".Length..], audience) is null)
        {
            Reject(http, 401, $"{request.Method} {path}: api-version or token (audience {audience})");
            return;
        }

        if (Interlocked.Decrement(ref _failNext) >= 0)
        {
            Interlocked.Increment(ref _busyAnswers);
            http.Response.StatusCode = 503;
            return;
        }

        Interlocked.Exchange(ref _failNext, 0);
        var prefix = $"/api/hubs/{Hub}/";
        if (!path.StartsWith(prefix, StringComparison.Ordinal))
        {
            Reject(http, 404, $"{request.Method} {path}: not under {prefix}");
            return;
        }

        var segments = path[prefix.Length..].Split('/').Select(Uri.UnescapeDataString).ToArray();
        switch (request.Method, segments)
        {
            case ("PUT" or "DELETE", ["groups", var group, "connections", var connectionId]):
                lock (_gate)
                {
                    if (!_connections.ContainsKey(connectionId))
                    {
                        Reject(http, 404, $"no connection {connectionId}");
                        return;
                    }

                    var members = _groups.TryGetValue(group, out var existing) ? existing : _groups[group] = new HashSet<string>(StringComparer.Ordinal);
                    _ = request.Method == "PUT" ? members.Add(connectionId) : members.Remove(connectionId);
                }

                http.Response.StatusCode = 200;
                return;
            case ("POST", ["groups", var group, ":send"]):
                var toGroup = await ReadMessageAsync(http);
                lock (_gate)
                {
                    foreach (var connectionId in _groups.TryGetValue(group, out var members) ? members : [])
                    {
                        _connections[connectionId].Inbox.Add(toGroup);
                    }
                }

                http.Response.StatusCode = 202;
                return;
            case ("POST", ["connections", var connectionId, ":send"]):
                var toConnection = await ReadMessageAsync(http);
                lock (_gate)
                {
                    _connections[connectionId].Inbox.Add(toConnection);
                }

                http.Response.StatusCode = 202;
                return;
            default:
                Reject(http, 404, $"{request.Method} {path}: no such API");
                return;
        }
    }

    private static async Task<FakeSignalRMessage> ReadMessageAsync(HttpContext http)
    {
        using var body = await JsonDocument.ParseAsync(http.Request.Body);
        var root = body.RootElement;
        return new FakeSignalRMessage(root.GetProperty("target").GetString()!, root.GetProperty("arguments")[0].Clone());
    }

    private void Reject(HttpContext http, int status, string why)
    {
        lock (_gate)
        {
            _rejections.Add(why);
        }

        http.Response.StatusCode = status;
    }

    private async Task<JsonWebToken?> ValidateAsync(string token, string audience)
    {
        var result = await new JsonWebTokenHandler().ValidateTokenAsync(token, new TokenValidationParameters
        {
            ValidateIssuer = false,
            ValidAudience = audience,
            IssuerSigningKey = new SymmetricSecurityKey(Encoding.UTF8.GetBytes(AccessKey)),
            ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
            RequireExpirationTime = true,
            ClockSkew = TimeSpan.FromSeconds(5),
        });
        return result.IsValid ? (JsonWebToken)result.SecurityToken : null;
    }
}
