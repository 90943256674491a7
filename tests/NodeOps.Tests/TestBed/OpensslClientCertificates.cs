using NodeOps.Processes;

namespace NodeOps.Tests.TestBed;

/// <summary>
/// A CA and a client certificate made by the real openssl in a temp folder (RSA, the key in the traditional
/// "BEGIN RSA PRIVATE KEY" form), so the Kubernetes client is proven on credentials no .NET code produced.
/// </summary>
public sealed record OpensslClientCertificates(string CaPem, string CertificatePem, string KeyPem)
{
    public static async Task<OpensslClientCertificates> CreateAsync(string commonName)
    {
        var folder = Directory.CreateTempSubdirectory("nodeops-openssl-").FullName;
        try
        {
            string F(string name) => Path.Combine(folder, name);
            await RunAsync(folder, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", F("ca.key"), "-out", F("ca.crt"), "-days", "2", "-subj", "/CN=openssl-test-ca",
                "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign");
            await RunAsync(folder, "genrsa", "-traditional", "-out", F("client.key"), "2048");
            await RunAsync(folder, "req", "-new", "-key", F("client.key"), "-out", F("client.csr"), "-subj", $"/O=system:masters/CN={commonName}");
            await File.WriteAllTextAsync(F("client.ext"), "extendedKeyUsage=clientAuth\nkeyUsage=critical,digitalSignature,keyEncipherment\n");
            await RunAsync(folder, "x509", "-req", "-in", F("client.csr"), "-CA", F("ca.crt"), "-CAkey", F("ca.key"), "-CAcreateserial", "-out", F("client.crt"), "-days", "2", "-extfile", F("client.ext"));
            return new OpensslClientCertificates(await File.ReadAllTextAsync(F("ca.crt")), await File.ReadAllTextAsync(F("client.crt")), await File.ReadAllTextAsync(F("client.key")));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static async Task RunAsync(string folder, params string[] args)
    {
        var result = await BoundedProcess.RunAsync(
            new BoundedProcessStart("/usr/bin/openssl", args, TimeSpan.FromSeconds(60)) { WorkingDirectory = folder },
            TimeProvider.System);
        if (result.ExitCode != 0 || result.TimedOut)
        {
            throw new InvalidOperationException($"openssl {args[0]} failed ({result.ExitCode}): {result.Stderr}");
        }
    }
}
