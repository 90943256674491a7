using System.Collections.Concurrent;
using System.Text;
using NodeOps.Credentials;
using Renci.SshNet;
using Renci.SshNet.Common;

namespace NodeOps.Runners.Ssh;

/// <summary>
/// Turns a credential into SSH.NET authentication methods: a private key (OpenSSH or PEM, with its passphrase), or a
/// password offered both as "password" and as the answer to keyboard-interactive prompts (PAM asks that way).
/// Parsed keys are kept per credential version: a passphrase-protected OpenSSH key costs a bcrypt derivation, which
/// must not be paid again for each of hundreds of connections.
/// </summary>
internal sealed class SshAuthentication
{
    private const int MaxCachedKeys = 64;
    private readonly ConcurrentDictionary<string, Lazy<PrivateKeyFile>> _keys = new(StringComparer.Ordinal);

    /// <param name="versionKey">Identifies the credential and its secret's version (never the secret itself).</param>
    public AuthenticationMethod[] MethodsFor(SshCredential credential, string versionKey)
    {
        ArgumentNullException.ThrowIfNull(credential);
        if (credential.AuthType == CredentialAuthType.PrivateKey)
        {
            if (string.IsNullOrEmpty(credential.PrivateKey))
            {
                throw new SshConnectException(SshRunOutcome.AuthenticationFailed, SshRunResult.AuthenticationFailedCode, "凭据没有私钥");
            }

            return [new PrivateKeyAuthenticationMethod(credential.Username, LoadKey(credential, versionKey))];
        }

        if (string.IsNullOrEmpty(credential.Password))
        {
            throw new SshConnectException(SshRunOutcome.AuthenticationFailed, SshRunResult.AuthenticationFailedCode, "凭据没有密码");
        }

        var password = credential.Password;
        var interactive = new KeyboardInteractiveAuthenticationMethod(credential.Username);
        interactive.AuthenticationPrompt += (_, e) =>
        {
            // Hidden prompts ask for the password; an echoed prompt asks for something else (a user name, a code),
            // which this credential cannot answer.
            foreach (var prompt in e.Prompts)
            {
                prompt.Response = prompt.IsEchoed ? "" : password;
            }
        };
        return [new PasswordAuthenticationMethod(credential.Username, password), interactive];
    }

    private PrivateKeyFile LoadKey(SshCredential credential, string versionKey)
    {
        if (_keys.Count > MaxCachedKeys)
        {
            _keys.Clear();
        }

        var lazy = _keys.GetOrAdd(versionKey, _ => new Lazy<PrivateKeyFile>(() => Parse(credential)));
        try
        {
            return lazy.Value;
        }
        catch (SshConnectException)
        {
            _keys.TryRemove(versionKey, out _);
            throw;
        }
    }

    private static PrivateKeyFile Parse(SshCredential credential)
    {
        try
        {
            return SshPrivateKey.Load(credential.PrivateKey!, credential.Passphrase);
        }
        catch (SshPassPhraseNullOrEmptyException)
        {
            throw new SshConnectException(SshRunOutcome.AuthenticationFailed, SshRunResult.AuthenticationFailedCode, "私钥受口令保护，但凭据没有口令");
        }
        catch (Exception ex) when (SshPrivateKey.IsUnreadable(ex))
        {
            // The library's message may quote key material; say only what kind of failure it was.
            throw new SshConnectException(SshRunOutcome.AuthenticationFailed, SshRunResult.AuthenticationFailedCode, "无法读取私钥: 格式不受支持或口令不正确");
        }
    }
}
