using NodeOps.Credentials;
using NodeOps.Errors;

namespace NodeOps.Tests.Credentials;

public sealed class PrivateKeyInspectorTests
{
    private readonly PrivateKeyInspector _inspector = new();

    [Fact]
    public async Task OpenSshKey_WithAPassphraseFullOfShellCharacters_IsOpened()
    {
        // Handed over through the askpass helper's environment: nothing in it may be interpreted by a shell.
        const string passphrase = "it's \"$HOME\" `id` $(whoami) ; \\ % ! *";
        var (key, fingerprint) = await TestKeys.OpenSshEd25519Async(passphrase);

        Assert.True(PrivateKeyInspector.IsEncrypted(PrivateKeyInspector.Normalize(key)));
        var info = await _inspector.InspectAsync(key, passphrase);

        Assert.Equal(fingerprint, info.Fingerprint);
        Assert.True(info.Encrypted);
        Assert.Equal("ssh-ed25519", info.KeyType);
    }

    [Fact]
    public async Task UnencryptedOpenSshKey_IsOpenedWithoutAPassphrase()
    {
        var (key, fingerprint) = await TestKeys.OpenSshEd25519Async("");

        Assert.False(PrivateKeyInspector.IsEncrypted(PrivateKeyInspector.Normalize(key)));
        Assert.Equal(fingerprint, (await _inspector.InspectAsync(key, null)).Fingerprint);
    }

    [Fact]
    public void EncryptionMarkers_OfEveryPemFlavour_AreRead()
    {
        Assert.False(PrivateKeyInspector.IsEncrypted(PrivateKeyInspector.Normalize(TestKeys.RsaPkcs1Pem())));
        Assert.True(PrivateKeyInspector.IsEncrypted(PrivateKeyInspector.Normalize(TestKeys.EcdsaEncryptedPkcs8Pem("x"))));
        const string legacy = "-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,0123456789ABCDEF0123456789ABCDEF\n\nAAAA\n-----END RSA PRIVATE KEY-----\n";
        Assert.True(PrivateKeyInspector.IsEncrypted(legacy));
    }

    [Theory]
    [InlineData("-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n")]
    [InlineData("-----BEGIN OPENSSH PRIVATE KEY-----\n!!!not base64!!!\n-----END OPENSSH PRIVATE KEY-----\n")]
    [InlineData("-----BEGIN RSA PRIVATE KEY-----\nAAAA\n-----END EC PRIVATE KEY-----\n")]
    public void NotAPrivateKey_IsRefusedOnPrivateKey(string text)
    {
        var error = Assert.Throws<NodeOpsException>(() => PrivateKeyInspector.IsEncrypted(text));

        Assert.Equal("private_key", error.Field);
        Assert.Equal(ErrorKind.Validation, error.Kind);
    }
}
