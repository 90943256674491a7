using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace NodeOps.Tests.TestBed;

/// <summary>How the fake API server listens and whom it lets in.</summary>
public sealed record FakeKubeApiServerOptions
{
    /// <summary>Serve HTTPS with a certificate from a CA generated for this server (kubeconfigs carry the CA).</summary>
    public bool Tls { get; init; }

    /// <summary>When set, requests must carry "Authorization: Bearer {token}" (or a client certificate, with <see cref="Tls"/>).</summary>
    public string? BearerToken { get; init; }

    /// <summary>With <see cref="Tls"/>: accept client certificates signed by the server's CA as credentials.</summary>
    public bool ClientCertificates { get; init; }

    /// <summary>With <see cref="Tls"/>: refuse the TLS handshake unless the client presents a certificate a trusted CA signed.</summary>
    public bool RequireClientCertificate { get; init; }

    /// <summary>With <see cref="Tls"/>: one more CA (PEM) whose client certificates are accepted, e.g. one made with openssl.</summary>
    public string? ClientCertificateAuthorityPem { get; init; }

    public string GitVersion { get; init; } = "v1.32.4";
}

/// <summary>A request the fake served, for assertions.</summary>
public sealed record FakeKubeRequest(string Method, string PathAndQuery, string Accept, string ContentType, string Body, string? User, int Status);

/// <summary>
/// A loopback Kubernetes API server that speaks enough of the real API for the real kubectl: discovery (legacy,
/// not aggregated), server-side printing (Table), list with field and label selectors, get, create, merge and
/// strategic-merge patch, delete, the eviction subresource honouring PodDisruptionBudgets, pod logs, /version.
/// State is in <see cref="State"/>; seed it before running kubectl and read it afterwards.
/// </summary>
public sealed class FakeKubeApiServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<FakeKubeRequest> _requests = new();
    private readonly ConcurrentDictionary<string, byte> _forbidden = new(StringComparer.Ordinal);
    private readonly FakeKubeApiServerOptions _options;
    private readonly FakeKubeApiServerCertificates? _certificates;

    private FakeKubeApiServer(WebApplication app, FakeKubeApiServerOptions options, FakeKubeApiServerCertificates? certificates, FakeKubeApiServerState state)
    {
        _app = app;
        _options = options;
        _certificates = certificates;
        State = state;
    }

    public FakeKubeApiServerState State { get; }

    public Uri Server { get; private set; } = null!;

    public IReadOnlyList<FakeKubeRequest> Requests => [.. _requests];

    /// <summary>The CA that signed the server (and client) certificates, PEM; null without TLS.</summary>
    public string? CertificateAuthorityPem => _certificates?.CaPem;

    public static async Task<FakeKubeApiServer> StartAsync(FakeKubeApiServerOptions? options = null, TimeProvider? time = null)
    {
        options ??= new FakeKubeApiServerOptions();
        var certificates = options.Tls ? FakeKubeApiServerCertificates.Create(options.ClientCertificateAuthorityPem) : null;
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, listen =>
        {
            if (certificates is not null)
            {
                listen.UseHttps(https =>
                {
                    https.ServerCertificate = certificates.Server;
                    https.ClientCertificateMode = options.RequireClientCertificate ? ClientCertificateMode.RequireCertificate
                        : options.ClientCertificates || options.ClientCertificateAuthorityPem is not null ? ClientCertificateMode.AllowCertificate
                        : ClientCertificateMode.NoCertificate;
                    https.ClientCertificateValidation = (cert, _, _) => certificates.IsIssuedByCa(cert);
                });
            }
        }));
        var app = builder.Build();
        var server = new FakeKubeApiServer(app, options, certificates, new FakeKubeApiServerState(time));
        app.Run(server.HandleAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server.Server = new Uri(address);
        return server;
    }

    /// <summary>Answers 403 Forbidden, as RBAC would, for every request on the resource (in one namespace, or all).</summary>
    public void Forbid(string plural, string? @namespace = null) => _forbidden[$"{plural}|{@namespace}"] = 0;

    /// <summary>
    /// A kubeconfig for this server with one context, "fake". Credentials: the bearer token when the server wants
    /// one, a client certificate when asked (and the server accepts them), the CA when serving TLS.
    /// </summary>
    /// <param name="clientCertificate">A client certificate and key made elsewhere (openssl) instead of one this server's CA issues.</param>
    /// <param name="contextNamespace">The context's namespace; null leaves it out.</param>
    public string Kubeconfig(
        bool withClientCertificate = false,
        string? token = null,
        string? contextNamespace = "default",
        (string CertificatePem, string KeyPem)? clientCertificate = null,
        string? tlsServerName = null)
    {
        var user = new StringBuilder();
        token ??= _options.BearerToken;
        if (token is not null)
        {
            user.Append("    token: ").Append(token).Append('\n');
        }

        if (withClientCertificate || clientCertificate is not null)
        {
            var (cert, key) = clientCertificate ?? _certificates?.IssueClient("nodeops-test") ?? throw new InvalidOperationException("Client certificates need Tls.");
            user.Append("    client-certificate-data: ").Append(B64(cert)).Append('\n');
            user.Append("    client-key-data: ").Append(B64(key)).Append('\n');
        }

        if (user.Length == 0)
        {
            user.Append("    {}\n");
        }

        var ca = _certificates is null ? "" : $"    certificate-authority-data: {B64(_certificates.CaPem)}\n";
        if (tlsServerName is not null)
        {
            ca += $"    tls-server-name: {tlsServerName}\n";
        }

        var ns = contextNamespace is null ? "" : $"    namespace: {contextNamespace}\n";
        return $"""
            apiVersion: v1
            kind: Config
            clusters:
            - name: fake
              cluster:
                server: {Server.ToString().TrimEnd('/')}
            {ca}contexts:
            - name: fake
              context:
                cluster: fake
                user: fake-user
            {ns}current-context: fake
            users:
            - name: fake-user
              user:
            {user}
            """;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        _certificates?.Dispose();
    }

    private static string B64(string pem) => Convert.ToBase64String(Encoding.UTF8.GetBytes(pem));

    private async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        string body;
        using (var reader = new StreamReader(request.Body, Encoding.UTF8))
        {
            body = await reader.ReadToEndAsync(context.RequestAborted);
        }

        var user = Authenticate(context);
        int status;
        if (user is null)
        {
            status = await WriteStatusAsync(context, 401, "Unauthorized", "Unauthorized");
        }
        else if (!AcceptsJson(request.Headers.Accept.ToString()))
        {
            // The fake speaks JSON only; a client asking for protobuf alone gets 406, as for a type without protobuf.
            status = await WriteStatusAsync(context, 406, "NotAcceptable", "only the following media types are accepted: application/json, application/yaml");
        }
        else
        {
            status = await RouteAsync(context, body);
        }

        _requests.Enqueue(new FakeKubeRequest(request.Method, request.Path + request.QueryString, request.Headers.Accept.ToString(), request.ContentType ?? "", body, user, status));
    }

    private string? Authenticate(HttpContext context)
    {
        if (context.Connection.ClientCertificate is { } cert && _certificates?.IsIssuedByCa(cert) == true)
        {
            return "cert:" + cert.GetNameInfo(X509NameType.SimpleName, forIssuer: false);
        }

        var header = context.Request.Headers.Authorization.ToString();
        if (_options.BearerToken is null)
        {
            return header.StartsWith("Bearer ", StringComparison.Ordinal) ? "token:" + header[7..] : "anonymous";
        }

        return header == "Bearer " + _options.BearerToken ? "token:" + _options.BearerToken : null;
    }

    private async Task<int> RouteAsync(HttpContext context, string body)
    {
        var path = context.Request.Path.Value ?? "/";
        var segments = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var get = HttpMethods.IsGet(context.Request.Method);
        switch (segments)
        {
            case ["version"] when get:
                return await WriteJsonAsync(context, 200, new JsonObject
                {
                    ["major"] = "1",
                    ["minor"] = _options.GitVersion.Split('.')[1],
                    ["gitVersion"] = _options.GitVersion,
                    ["gitCommit"] = "0000000000000000000000000000000000000000",
                    ["gitTreeState"] = "clean",
                    ["buildDate"] = "2025-01-01T00:00:00Z",
                    ["goVersion"] = "go1.23.6",
                    ["compiler"] = "gc",
                    ["platform"] = "linux/amd64",
                });
            case ["api"] when get:
                return await WriteJsonAsync(context, 200, new JsonObject
                {
                    ["kind"] = "APIVersions",
                    ["versions"] = new JsonArray("v1"),
                    ["serverAddressByClientCIDRs"] = new JsonArray(new JsonObject { ["clientCIDR"] = "0.0.0.0/0", ["serverAddress"] = $"{Server.Host}:{Server.Port}" }),
                });
            case ["apis"] when get:
                return await WriteJsonAsync(context, 200, GroupList());
            case ["api", "v1"] when get:
                return await WriteJsonAsync(context, 200, ResourceList("", "v1")!);
            case ["apis", var group, var version] when get:
                var list = ResourceList(group, version);
                return list is null ? await WriteStatusAsync(context, 404, "NotFound", "the server could not find the requested resource") : await WriteJsonAsync(context, 200, list);
            case ["api", "v1", .. var rest] when rest.Length > 0:
                return await ResourceAsync(context, "", "v1", rest, body);
            case ["apis", var group, var version, .. var rest] when rest.Length > 0:
                return await ResourceAsync(context, group, version, rest, body);
            default:
                // /openapi/v2, /openapi/v3 and anything else: kubectl tolerates their absence for get, describe and cordon.
                return await WriteStatusAsync(context, 404, "NotFound", "the server could not find the requested resource");
        }
    }

    private async Task<int> ResourceAsync(HttpContext context, string group, string version, string[] rest, string body)
    {
        string? ns = null;
        string plural;
        string? name = null;
        string? subresource = null;
        if (rest[0] == "namespaces" && rest.Length >= 3)
        {
            ns = rest[1];
            plural = rest[2];
            name = rest.Length > 3 ? rest[3] : null;
            subresource = rest.Length > 4 ? rest[4] : null;
        }
        else
        {
            plural = rest[0];
            name = rest.Length > 1 ? rest[1] : null;
            subresource = rest.Length > 2 ? rest[2] : null;
        }

        var resource = FakeKubeApiServerResources.Find(group, version, plural);
        if (resource is null)
        {
            return await WriteStatusAsync(context, 404, "NotFound", "the server could not find the requested resource");
        }

        if (_forbidden.ContainsKey($"{plural}|") || (ns is not null && _forbidden.ContainsKey($"{plural}|{ns}")))
        {
            var verb = context.Request.Method switch { "GET" => name is null ? "list" : "get", "POST" => "create", "PATCH" => "patch", "PUT" => "update", "DELETE" => "delete", _ => "get" };
            var scope = ns is null ? "at the cluster scope" : $"in the namespace \"{ns}\"";
            return await WriteStatusAsync(context, 403, "Forbidden",
                $"{plural} is forbidden: User \"system:serviceaccount:nodeops:assistant\" cannot {verb} resource \"{plural}\" in API group \"{group}\" {scope}",
                new JsonObject { ["kind"] = plural });
        }

        var method = context.Request.Method;
        if (subresource is not null)
        {
            return await SubresourceAsync(context, resource, ns ?? "", name!, subresource);
        }

        if (name is null)
        {
            if (HttpMethods.IsGet(method))
            {
                return await ListAsync(context, resource, resource.Namespaced ? ns : null);
            }

            if (HttpMethods.IsPost(method))
            {
                var obj = JsonNode.Parse(body) as JsonObject ?? new JsonObject();
                if (resource.Namespaced && obj["metadata"] is JsonObject meta)
                {
                    meta["namespace"] = ns ?? meta["namespace"]?.GetValue<string>() ?? "default";
                }

                try
                {
                    return await WriteJsonAsync(context, 201, State.Create(resource, obj));
                }
                catch (InvalidOperationException ex)
                {
                    return await WriteStatusAsync(context, 409, "AlreadyExists", ex.Message);
                }
            }

            return await WriteStatusAsync(context, 405, "MethodNotAllowed", "the server does not allow this method on the requested resource");
        }

        var key = resource.Namespaced ? ns ?? "" : "";
        if (HttpMethods.IsGet(method))
        {
            OnRead(resource, name);
            var found = State.Get(resource, key, name);
            if (found is null)
            {
                return await NotFoundAsync(context, resource, name);
            }

            return WantsTable(context)
                ? await WriteJsonAsync(context, 200, FakeKubeApiServerTables.Render(resource, [found], State.Now, IncludeFullObject(context), State.CurrentResourceVersion))
                : await WriteJsonAsync(context, 200, found);
        }

        if (HttpMethods.IsPatch(method))
        {
            var contentType = context.Request.ContentType ?? "";
            if (!contentType.StartsWith("application/merge-patch+json", StringComparison.Ordinal)
                && !contentType.StartsWith("application/strategic-merge-patch+json", StringComparison.Ordinal))
            {
                return await WriteStatusAsync(context, 415, "UnsupportedMediaType", $"the fake API server does not support patch type {contentType}");
            }

            var patched = State.Patch(resource, key, name, JsonNode.Parse(body) as JsonObject ?? new JsonObject());
            return patched is null ? await NotFoundAsync(context, resource, name) : await WriteJsonAsync(context, 200, patched);
        }

        if (HttpMethods.IsDelete(method))
        {
            var existing = State.Get(resource, key, name);
            if (resource == FakeKubeApiServerResources.Pods)
            {
                return existing is null || !State.DeletePod(key, name) ? await NotFoundAsync(context, resource, name) : await WriteJsonAsync(context, 200, existing);
            }

            if (existing is null || !State.Delete(resource, key, name))
            {
                return await NotFoundAsync(context, resource, name);
            }

            return await WriteJsonAsync(context, 200, existing);
        }

        return await WriteStatusAsync(context, 405, "MethodNotAllowed", "the server does not allow this method on the requested resource");
    }

    private async Task<int> SubresourceAsync(HttpContext context, FakeKubeResource resource, string ns, string name, string subresource)
    {
        if (resource == FakeKubeApiServerResources.Pods && subresource == "eviction" && HttpMethods.IsPost(context.Request.Method))
        {
            try
            {
                var (evicted, budget) = State.Evict(ns, name);
                if (!evicted)
                {
                    return await WriteStatusAsync(context, 429, "TooManyRequests", "Cannot evict pod as it would violate the pod's disruption budget.",
                        new JsonObject { ["causes"] = new JsonArray(new JsonObject { ["reason"] = "DisruptionBudget", ["message"] = $"The disruption budget {budget} needs 1 healthy pods and has 1 currently" }) });
                }

                return await WriteJsonAsync(context, 201, new JsonObject { ["kind"] = "Status", ["apiVersion"] = "v1", ["metadata"] = new JsonObject(), ["status"] = "Success", ["code"] = 201 });
            }
            catch (KeyNotFoundException)
            {
                return await NotFoundAsync(context, resource, name);
            }
        }

        if (resource == FakeKubeApiServerResources.Pods && subresource == "log" && HttpMethods.IsGet(context.Request.Method))
        {
            if (State.GetPod(ns, name) is null)
            {
                return await NotFoundAsync(context, resource, name);
            }

            context.Response.StatusCode = 200;
            context.Response.ContentType = "text/plain";
            await context.Response.WriteAsync($"log line 1 of {ns}/{name}\nlog line 2 of {ns}/{name}\n", context.RequestAborted);
            return 200;
        }

        return await WriteStatusAsync(context, 404, "NotFound", "the server could not find the requested resource");
    }

    private async Task<int> ListAsync(HttpContext context, FakeKubeResource resource, string? ns)
    {
        OnRead(resource, null);
        var query = context.Request.Query;
        var fieldSelector = FakeKubeApiServerSelectors.ParseFields(query["fieldSelector"].ToString());
        var labelSelector = FakeKubeApiServerSelectors.ParseLabels(query["labelSelector"].ToString());
        var items = State.List(resource, ns)
            .Where(o => FakeKubeApiServerSelectors.MatchesFields(o, fieldSelector) && FakeKubeApiServerSelectors.MatchesLabels(o, labelSelector))
            .ToList();
        if (query["watch"] == "true" || query["watch"] == "1")
        {
            // No watch support: end the stream at once so a watcher sees a closed watch, never a hang.
            context.Response.StatusCode = 200;
            context.Response.ContentType = "application/json";
            return 200;
        }

        if (WantsTable(context))
        {
            return await WriteJsonAsync(context, 200, FakeKubeApiServerTables.Render(resource, items, State.Now, IncludeFullObject(context), State.CurrentResourceVersion));
        }

        // Paging as the real server does it: limit, and an opaque continue token (here the offset) for the next page.
        var offset = int.TryParse(query["continue"].ToString(), out var start) ? start : 0;
        var limit = int.TryParse(query["limit"].ToString(), out var max) && max > 0 ? max : int.MaxValue;
        var page = items.Skip(offset).Take(limit).ToList();
        var array = new JsonArray();
        foreach (var item in page)
        {
            array.Add(item);
        }

        var metadata = new JsonObject { ["resourceVersion"] = State.CurrentResourceVersion };
        if (offset + page.Count < items.Count)
        {
            metadata["continue"] = (offset + page.Count).ToString(System.Globalization.CultureInfo.InvariantCulture);
            metadata["remainingItemCount"] = items.Count - offset - page.Count;
        }

        return await WriteJsonAsync(context, 200, new JsonObject
        {
            ["kind"] = resource.Kind + "List",
            ["apiVersion"] = resource.ApiVersion,
            ["metadata"] = metadata,
            ["items"] = array,
        });
    }

    /// <summary>Clients offering protobuf first ("application/vnd.kubernetes.protobuf,application/json") fall back to JSON here.</summary>
    private static bool AcceptsJson(string accept) =>
        accept.Length == 0 || accept.Contains("json", StringComparison.OrdinalIgnoreCase) || accept.Contains("*/*", StringComparison.Ordinal)
        || accept.Contains("text/plain", StringComparison.Ordinal);

    /// <summary>Reads are the cues: terminating pods move towards gone, and a node takes its next cued state.</summary>
    private void OnRead(FakeKubeResource resource, string? name)
    {
        if (resource == FakeKubeApiServerResources.Pods)
        {
            State.OnPodRead();
        }
        else if (resource == FakeKubeApiServerResources.Nodes && name is not null)
        {
            State.OnNodeRead(name);
        }
    }

    private static bool WantsTable(HttpContext context) => context.Request.Headers.Accept.ToString().Contains("as=Table", StringComparison.Ordinal);

    private static bool IncludeFullObject(HttpContext context) => context.Request.Query["includeObject"] == "Object";

    private static JsonObject GroupList()
    {
        var groups = new JsonArray();
        foreach (var group in FakeKubeApiServerResources.All.Where(r => r.Group.Length > 0).GroupBy(r => (r.Group, r.Version)))
        {
            var gv = new JsonObject { ["groupVersion"] = $"{group.Key.Group}/{group.Key.Version}", ["version"] = group.Key.Version };
            groups.Add(new JsonObject
            {
                ["name"] = group.Key.Group,
                ["versions"] = new JsonArray(gv),
                ["preferredVersion"] = gv.DeepClone(),
            });
        }

        return new JsonObject { ["kind"] = "APIGroupList", ["apiVersion"] = "v1", ["groups"] = groups };
    }

    private static JsonObject? ResourceList(string group, string version)
    {
        var resources = FakeKubeApiServerResources.All.Where(r => r.Group == group && r.Version == version).ToList();
        if (resources.Count == 0)
        {
            return null;
        }

        var array = new JsonArray();
        foreach (var r in resources)
        {
            var entry = new JsonObject
            {
                ["name"] = r.Plural,
                ["singularName"] = r.Singular,
                ["namespaced"] = r.Namespaced,
                ["kind"] = r.Kind,
                ["verbs"] = new JsonArray(r.Verbs.Select(v => (JsonNode)v).ToArray()),
            };
            if (r.ShortNames.Length > 0)
            {
                entry["shortNames"] = new JsonArray(r.ShortNames.Select(s => (JsonNode)s).ToArray());
            }

            array.Add(entry);
        }

        if (group.Length == 0)
        {
            array.Add(new JsonObject { ["name"] = "pods/eviction", ["singularName"] = "", ["namespaced"] = true, ["group"] = "policy", ["version"] = "v1", ["kind"] = "Eviction", ["verbs"] = new JsonArray("create") });
            array.Add(new JsonObject { ["name"] = "pods/log", ["singularName"] = "", ["namespaced"] = true, ["kind"] = "Pod", ["verbs"] = new JsonArray("get") });
        }

        return new JsonObject { ["kind"] = "APIResourceList", ["apiVersion"] = "v1", ["groupVersion"] = group.Length == 0 ? version : $"{group}/{version}", ["resources"] = array };
    }

    private static Task<int> NotFoundAsync(HttpContext context, FakeKubeResource resource, string name) =>
        WriteStatusAsync(context, 404, "NotFound", $"{resource.Plural}{(resource.Group.Length > 0 ? "." + resource.Group : "")} \"{name}\" not found",
            new JsonObject { ["name"] = name, ["group"] = resource.Group, ["kind"] = resource.Plural });

    private static Task<int> WriteStatusAsync(HttpContext context, int code, string reason, string message, JsonObject? details = null)
    {
        var status = new JsonObject
        {
            ["kind"] = "Status",
            ["apiVersion"] = "v1",
            ["metadata"] = new JsonObject(),
            ["status"] = "Failure",
            ["message"] = message,
            ["reason"] = reason,
            ["code"] = code,
        };
        if (details is not null)
        {
            status["details"] = details;
        }

        return WriteJsonAsync(context, code, status);
    }

    private static async Task<int> WriteJsonAsync(HttpContext context, int status, JsonNode body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(body.ToJsonString(new JsonSerializerOptions { WriteIndented = false }), context.RequestAborted);
        return status;
    }
}
