using System.Net;
using System.Net.Http.Headers;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;

namespace NodeOps.Kubernetes;

/// <summary>
/// A small Kubernetes REST client for what NodeOps itself asks the API server (the version probe and simple reads);
/// the chat agent's tool uses the kubectl binary instead. Built from a resolved kubeconfig context: bearer token or
/// basic auth, client certificate, the cluster's CA (or the system's trust when it names none).
/// </summary>
public sealed class KubernetesClient : IDisposable
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly HttpClient _http;
    private readonly X509Certificate2? _clientCertificate;
    private readonly X509Certificate2? _ca;

    public KubernetesClient(KubeconfigContext context, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(context);
        Context = context;
        var handler = new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5), ConnectTimeout = TimeSpan.FromSeconds(10) };
        if (context.ClientCertificatePem is not null)
        {
            if (context.ClientKeyPem is null)
            {
                throw new KubeconfigException($"Context '{context.ContextName}' has a client certificate but no client key.");
            }

            _clientCertificate = LoadClientCertificate(context.ClientCertificatePem, context.ClientKeyPem);
            handler.SslOptions.ClientCertificates = [_clientCertificate];
        }

        if (context.CertificateAuthorityPem is not null)
        {
            try
            {
                _ca = X509Certificate2.CreateFromPem(context.CertificateAuthorityPem);
            }
            catch (Exception ex) when (ex is System.Security.Cryptography.CryptographicException or ArgumentException)
            {
                throw new KubeconfigException($"Cluster '{context.ClusterName}' has a certificate authority that is not a PEM certificate.", ex);
            }
        }

        if (context.TlsServerName is not null)
        {
            handler.SslOptions.TargetHost = context.TlsServerName;
        }

        handler.SslOptions.RemoteCertificateValidationCallback = ValidateServer;
        _http = new HttpClient(handler) { BaseAddress = context.Server, Timeout = timeout ?? TimeSpan.FromSeconds(30) };
        _http.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        _http.DefaultRequestHeaders.UserAgent.ParseAdd("nodeops/1.0");
        if (!string.IsNullOrEmpty(context.BearerToken))
        {
            _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", context.BearerToken);
        }
        else if (context.Username is not null && context.Password is not null)
        {
            _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{context.Username}:{context.Password}")));
        }
    }

    public KubeconfigContext Context { get; }

    /// <summary>Builds a client for a context of a kubeconfig (the current one when <paramref name="contextName"/> is null).</summary>
    public static KubernetesClient FromKubeconfig(string kubeconfigYaml, string? contextName = null, TimeSpan? timeout = null) =>
        new(Kubeconfig.Resolve(kubeconfigYaml, contextName), timeout);

    public async Task<KubernetesVersion> GetVersionAsync(CancellationToken cancellationToken = default)
    {
        using var document = await GetJsonAsync("/version", cancellationToken).ConfigureAwait(false);
        var root = document.RootElement;
        return new KubernetesVersion(Text(root, "major"), Text(root, "minor"), Text(root, "gitVersion"), Text(root, "platform"));
    }

    /// <summary>GETs an API path (e.g. "/api/v1/nodes") and returns its JSON; errors become <see cref="KubernetesApiException"/>.</summary>
    public async Task<JsonDocument> GetJsonAsync(string path, CancellationToken cancellationToken = default)
    {
        HttpResponseMessage response;
        try
        {
            response = await _http.GetAsync(new Uri(path, UriKind.Relative), HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException ex)
        {
            throw new KubernetesApiException(0, "Unreachable", $"The API server {Context.Server} cannot be reached: {ex.HttpRequestError}.", ex);
        }
        catch (TaskCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new KubernetesApiException(0, "Timeout", $"The API server {Context.Server} did not answer in {_http.Timeout.TotalSeconds:0} s.", ex);
        }

        using (response)
        {
            var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                throw Failure(response.StatusCode, body);
            }

            try
            {
                return JsonDocument.Parse(body);
            }
            catch (JsonException ex)
            {
                throw new KubernetesApiException((int)response.StatusCode, "InvalidResponse", $"The API server answered {path} with something other than JSON.", ex);
            }
        }
    }

    public void Dispose()
    {
        _http.Dispose();
        _clientCertificate?.Dispose();
        _ca?.Dispose();
    }

    private static KubernetesApiException Failure(HttpStatusCode status, string body)
    {
        string reason = status.ToString();
        string message = $"The API server answered {(int)status} {status}.";
        try
        {
            using var document = JsonDocument.Parse(body);
            if (document.RootElement.ValueKind == JsonValueKind.Object)
            {
                reason = document.RootElement.TryGetProperty("reason", out var r) && r.ValueKind == JsonValueKind.String ? r.GetString()! : reason;
                message = document.RootElement.TryGetProperty("message", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString()! : message;
            }
        }
        catch (JsonException)
        {
            // Not a Status object; the status line says enough.
        }

        return new KubernetesApiException((int)status, reason, message);
    }

    private static string Text(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString()! : "";

    private static X509Certificate2 LoadClientCertificate(string certificatePem, string keyPem)
    {
        try
        {
            using var ephemeral = X509Certificate2.CreateFromPem(certificatePem, keyPem);
            // TLS on Linux needs a certificate whose key is not ephemeral; a PKCS#12 round trip gives it one.
            return X509CertificateLoader.LoadPkcs12(ephemeral.Export(X509ContentType.Pkcs12), null);
        }
        catch (Exception ex) when (ex is System.Security.Cryptography.CryptographicException or ArgumentException)
        {
            throw new KubeconfigException("The kubeconfig's client certificate or key is not valid PEM.", ex);
        }
    }

    private bool ValidateServer(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        if (Context.InsecureSkipTlsVerify || errors == SslPolicyErrors.None)
        {
            return true;
        }

        if (_ca is null || certificate is null || errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch) || errors.HasFlag(SslPolicyErrors.RemoteCertificateNotAvailable))
        {
            return false;
        }

        // Only the chain failed: the cluster's own CA is not in the system store, so check against it alone.
        using var custom = new X509Chain();
        custom.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        custom.ChainPolicy.CustomTrustStore.Add(_ca);
        custom.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        using var server = new X509Certificate2(certificate);
        return custom.Build(server);
    }
}
