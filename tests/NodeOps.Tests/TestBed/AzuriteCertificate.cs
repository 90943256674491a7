using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace NodeOps.Tests.TestBed;

/// <summary>A throwaway self-signed certificate for 127.0.0.1, written as PEM files for Azurite's HTTPS mode.</summary>
internal static class AzuriteCertificate
{
    public static string CertificateFile(string folder) => Path.Combine(folder, "azurite-cert.pem");

    public static string KeyFile(string folder) => Path.Combine(folder, "azurite-key.pem");

    /// <summary>Writes the certificate and its key into <paramref name="folder"/>; returns the public certificate to trust.</summary>
    public static X509Certificate2 Write(string folder)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        var now = TimeProvider.System.GetUtcNow();
        using var certificate = request.CreateSelfSigned(now.AddDays(-1), now.AddDays(7));
        File.WriteAllText(CertificateFile(folder), certificate.ExportCertificatePem());
        File.WriteAllText(KeyFile(folder), key.ExportPkcs8PrivateKeyPem());
        return X509CertificateLoader.LoadCertificate(certificate.RawData);
    }
}
