namespace NodeOps.Credentials;

/// <summary>What checking a private key found out: its type, public key ("ssh-ed25519 AAAA…") and SHA256 fingerprint.</summary>
internal sealed record PrivateKeyInfo(string KeyType, string PublicKey, string Fingerprint, bool Encrypted);
