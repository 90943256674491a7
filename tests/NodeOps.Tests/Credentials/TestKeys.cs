using System.Security.Cryptography;
using NodeOps.Processes;

namespace NodeOps.Tests.Credentials;

/// <summary>Throwaway private keys for tests, made in a private temp folder that is removed afterwards.</summary>
public static class TestKeys
{
    /// <summary>An OpenSSH-format Ed25519 key (openssh-key-v1, bcrypt-pbkdf when encrypted) and its SHA256 fingerprint.</summary>
    public static async Task<(string PrivateKey, string Fingerprint)> OpenSshEd25519Async(string passphrase)
    {
        var folder = Directory.CreateTempSubdirectory("nodeops-testkey-");
        try
        {
            var file = Path.Combine(folder.FullName, "key");
            // A test-only passphrase for a key that never leaves this folder; the product never does this.
            await RunAsync("ssh-keygen", "-q", "-t", "ed25519", "-N", passphrase, "-C", "nodeops-test", "-f", file);
            var fingerprint = (await RunAsync("ssh-keygen", "-l", "-E", "sha256", "-f", file + ".pub")).Split(' ')[1];
            return (await File.ReadAllTextAsync(file), fingerprint);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    public static string RsaPkcs1Pem()
    {
        using var rsa = RSA.Create(2048);
        return rsa.ExportRSAPrivateKeyPem();
    }

    public static string EcdsaEncryptedPkcs8Pem(string passphrase)
    {
        using var ecdsa = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        return ecdsa.ExportEncryptedPkcs8PrivateKeyPem(passphrase, new PbeParameters(PbeEncryptionAlgorithm.Aes256Cbc, HashAlgorithmName.SHA256, 10_000));
    }

    private static async Task<string> RunAsync(string fileName, params string[] arguments)
    {
        var result = await BoundedProcess.RunAsync(new BoundedProcessStart(fileName, arguments, TimeSpan.FromSeconds(30)), TimeProvider.System);
        Assert.True(result.ExitCode == 0, $"{fileName} failed: {result.Stderr}");
        return result.Stdout;
    }
}
