using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NodeOps.Clusters;
using Renci.SshNet;
using Renci.SshNet.Common;

namespace NodeOps.Runners.Ssh;

/// <summary>
/// Opens an authenticated SSH.NET connection to a node: the configured key exchange order, the host key checked
/// against its pin during key exchange (or pinned on first contact, first writer wins across instances), then the
/// credential. Failures become <see cref="SshConnectException"/> with a code and a message safe to store.
/// </summary>
internal sealed class SshConnector(IOptions<SshOptions> options, HostKeyPinStore pins, SshAuthentication authentication, TimeProvider time, ILogger<SshConnector> logger)
{
    public async Task<SshConnection> OpenAsync(SshTarget target, string versionKey, HostKeyPin? pin, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var info = new ConnectionInfo(target.Address, target.Port, target.Credential.Username, authentication.MethodsFor(target.Credential, versionKey))
        {
            Timeout = TimeSpan.FromSeconds(settings.ConnectTimeoutSeconds),
        };
        OrderKeyExchange(info, settings.KeyExchangeOrder());
        OrderHostKeyAlgorithms(info, pin?.KeyType);
        var check = new HostKeyCheck(pin);
        var client = new SshClient(info) { KeepAliveInterval = TimeSpan.FromSeconds(settings.ServerAliveIntervalSeconds) };
        client.HostKeyReceived += check.OnHostKeyReceived;
        var connection = new SshConnection(client, info, pin?.Fingerprint ?? "");
        try
        {
            using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(settings.ConnectTimeoutSeconds + 5), time);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
            try
            {
                await client.ConnectAsync(linked.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new SshConnectException(SshRunOutcome.ConnectionFailed, SshRunResult.ConnectionFailedCode, "SSH 连接失败: 连接超时");
            }
            catch (Exception ex) when (ex is SshException or SocketException or IOException or TimeoutException)
            {
                throw Classify(ex, check);
            }

            if (pin is not null)
            {
                Log.Connected(logger, target.ClusterName, target.NodeName, pin.Fingerprint, info.CurrentKeyExchangeAlgorithm ?? "?");
                return connection;
            }

            connection.Fingerprint = await PinAsync(target, check, cancellationToken).ConfigureAwait(false);
            Log.Connected(logger, target.ClusterName, target.NodeName, connection.Fingerprint, info.CurrentKeyExchangeAlgorithm ?? "?");
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>Records the key a node presented on first contact; another instance may have pinned a different one meanwhile.</summary>
    private async Task<string> PinAsync(SshTarget target, HostKeyCheck check, CancellationToken cancellationToken)
    {
        var (keyType, publicKey) = check.Presented
            ?? throw new SshConnectException(SshRunOutcome.ConnectionFailed, SshRunResult.ConnectionFailedCode, "未能读取节点的主机密钥");
        var fingerprint = HostKeyCheck.FingerprintOf(publicKey);
        var candidate = new HostKeyPin(target.ClusterName, target.NodeName, target.Address, target.Port, keyType, publicKey, fingerprint, time.GetUtcNow());
        var held = await pins.PinIfAbsentAsync(candidate, cancellationToken).ConfigureAwait(false);
        if (held.KeyType != keyType || held.PublicKey != publicKey)
        {
            throw HostKeyCheck.MismatchError(held, (keyType, publicKey));
        }

        if (ReferenceEquals(held, candidate))
        {
            Log.HostKeyPinned(logger, target.ClusterName, target.NodeName, fingerprint);
        }

        return held.Fingerprint;
    }

    private static SshConnectException Classify(Exception ex, HostKeyCheck check)
    {
        if (check.Mismatch)
        {
            return check.MismatchError();
        }

        if (ex is SshAuthenticationException)
        {
            return new SshConnectException(SshRunOutcome.AuthenticationFailed, SshRunResult.AuthenticationFailedCode, "SSH 认证失败: 用户名、密码或密钥不正确");
        }

        var reason = ex switch
        {
            SocketException socket => socket.Message,
            SshOperationTimeoutException or TimeoutException => "连接超时",
            _ => ex.Message.Length > 200 ? ex.Message[..200] : ex.Message,
        };
        return new SshConnectException(SshRunOutcome.ConnectionFailed, SshRunResult.ConnectionFailedCode, "SSH 连接失败: " + reason);
    }

    /// <summary>Puts the configured algorithms first, in their order, and drops the rest (an unknown name was refused at start-up).</summary>
    private static void OrderKeyExchange(ConnectionInfo info, IReadOnlyList<string> order)
    {
        var available = info.KeyExchangeAlgorithms.ToList();
        info.KeyExchangeAlgorithms.Clear();
        foreach (var name in order)
        {
            var found = available.FirstOrDefault(a => a.Key == name);
            if (found.Value is not null)
            {
                info.KeyExchangeAlgorithms.Add(found.Key, found.Value);
            }
        }
    }

    /// <summary>
    /// Plain host keys only (a certificate is not what known_hosts pins), and with a pin its type's algorithms first:
    /// a node with several host keys then shows the pinned one, as OpenSSH does with a known_hosts entry.
    /// </summary>
    private static void OrderHostKeyAlgorithms(ConnectionInfo info, string? pinnedType)
    {
        var available = info.HostKeyAlgorithms.Where(a => !a.Key.Contains("-cert-", StringComparison.Ordinal)).ToList();
        info.HostKeyAlgorithms.Clear();
        foreach (var algorithm in available.Where(a => pinnedType is not null && AlgorithmsOf(pinnedType).Contains(a.Key)).Concat(available.Where(a => pinnedType is null || !AlgorithmsOf(pinnedType).Contains(a.Key))))
        {
            info.HostKeyAlgorithms.Add(algorithm.Key, algorithm.Value);
        }
    }

    private static string[] AlgorithmsOf(string keyType) => keyType == "ssh-rsa" ? ["rsa-sha2-512", "rsa-sha2-256", "ssh-rsa"] : [keyType];

    /// <summary>Every key exchange algorithm SSH.NET offers, for validating the setting.</summary>
    public static IReadOnlyCollection<string> SupportedKeyExchange() =>
        new ConnectionInfo("localhost", "nodeops", new NoneAuthenticationMethod("nodeops")).KeyExchangeAlgorithms.Keys.ToList();
}
