using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace NodeOps.Tests.TestBed;

/// <summary>A throw-away CA for one fake API server: it signs the server certificate (for 127.0.0.1) and client certificates.</summary>
internal sealed class FakeKubeApiServerCertificates : IDisposable
{
    private readonly X509Certificate2 _ca;
    private readonly X509Certificate2? _extraClientCa;

    private FakeKubeApiServerCertificates(X509Certificate2 ca, X509Certificate2 server, X509Certificate2? extraClientCa)
    {
        _ca = ca;
        _extraClientCa = extraClientCa;
        Server = server;
        CaPem = ca.ExportCertificatePem();
    }

    public X509Certificate2 Server { get; }

    public string CaPem { get; }

    /// <param name="extraClientCaPem">Another CA whose client certificates count as issued here (one made outside .NET, say).</param>
    public static FakeKubeApiServerCertificates Create(string? extraClientCaPem = null)
    {
        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caRequest = new CertificateRequest("CN=fake-kubernetes-ca", caKey, HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        var now = TimeProvider.System.GetUtcNow();
        var ca = caRequest.CreateSelfSigned(now.AddDays(-1), now.AddDays(30));

        using var serverKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var serverRequest = new CertificateRequest("CN=kube-apiserver", serverKey, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        san.AddIpAddress(IPAddress.Loopback);
        san.AddDnsName("localhost");
        serverRequest.CertificateExtensions.Add(san.Build());
        serverRequest.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        serverRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        using var serverPublic = serverRequest.Create(ca, now.AddDays(-1), now.AddDays(29), RandomNumberGenerator.GetBytes(8));
        // Kestrel on Linux wants a certificate whose key it can use directly; a PKCS#12 round trip gives it one.
        using var serverWithKey = serverPublic.CopyWithPrivateKey(serverKey);
        var server = X509CertificateLoader.LoadPkcs12(serverWithKey.Export(X509ContentType.Pkcs12), null);
        return new FakeKubeApiServerCertificates(ca, server, extraClientCaPem is null ? null : X509Certificate2.CreateFromPem(extraClientCaPem));
    }

    /// <summary>A client certificate (PEM) and its key (PKCS#8 PEM) for the given common name.</summary>
    public (string CertificatePem, string KeyPem) IssueClient(string commonName)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={commonName}, O=system:masters", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.2")], false));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        var now = TimeProvider.System.GetUtcNow();
        using var cert = request.Create(_ca, now.AddDays(-1), now.AddDays(29), RandomNumberGenerator.GetBytes(8));
        return (cert.ExportCertificatePem(), key.ExportPkcs8PrivateKeyPem());
    }

    public bool IsIssuedByCa(X509Certificate2 certificate) =>
        IsIssuedBy(certificate, _ca) || (_extraClientCa is not null && IsIssuedBy(certificate, _extraClientCa));

    private static bool IsIssuedBy(X509Certificate2 certificate, X509Certificate2 ca)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(ca);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.VerificationFlags = X509VerificationFlags.IgnoreWrongUsage;
        return chain.Build(certificate);
    }

    public void Dispose()
    {
        _ca.Dispose();
        _extraClientCa?.Dispose();
        Server.Dispose();
    }
}
