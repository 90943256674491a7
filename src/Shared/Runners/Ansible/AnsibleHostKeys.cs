using NodeOps.Clusters;
using NodeOps.Credentials;
using NodeOps.Runners.Ssh;

namespace NodeOps.Runners.Ansible;

/// <summary>
/// Makes sure every host of a run has a pinned key before ansible-playbook starts, with the same rules as the SSH
/// runner, by the same code: a host without a pin is contacted through the SSH runner's connection pool, which
/// accepts and records its key on first contact (first writer wins across instances) and authenticates with the
/// run's credential. A host with a pin is left to ansible-playbook, which verifies it strictly against the
/// generated known_hosts. Hosts that fail here are left out of the run with the pool's error code.
/// </summary>
internal sealed class AnsibleHostKeys(HostKeyPinStore pins, SshConnectionPool pool)
{
    private const int Parallelism = 16;

    public async Task<(Dictionary<string, HostKeyPin> Pinned, Dictionary<string, AnsibleHostFailure> Failed)> EnsurePinnedAsync(
        string clusterName, IReadOnlyList<AnsibleHost> hosts, SshCredential credential, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(hosts);
        var pinned = new Dictionary<string, HostKeyPin>(StringComparer.Ordinal);
        var failed = new Dictionary<string, AnsibleHostFailure>(StringComparer.Ordinal);
        var results = new (HostKeyPin? Pin, AnsibleHostFailure? Failure)[hosts.Count];
        using var gate = new SemaphoreSlim(Parallelism, Parallelism);
        await Task.WhenAll(hosts.Select(async (host, index) =>
        {
            await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                results[index] = await PinAsync(clusterName, host, credential, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                gate.Release();
            }
        })).ConfigureAwait(false);

        for (var i = 0; i < hosts.Count; i++)
        {
            if (results[i].Pin is { } pin)
            {
                pinned[hosts[i].Name] = pin;
            }
            else
            {
                failed[hosts[i].Name] = results[i].Failure ?? new AnsibleHostFailure(SshRunResult.ConnectionFailedCode, "未能固定节点的主机密钥");
            }
        }

        return (pinned, failed);
    }

    /// <summary>
    /// Finds out why hosts that ansible-playbook found unreachable are so, by connecting through the SSH runner's
    /// pool with the pinned key: a changed host key, a refused login or a failed connection each get their own code.
    /// Hosts that answer fine now are not in the result (the failure was passing).
    /// </summary>
    public async Task<Dictionary<string, AnsibleHostFailure>> DiagnoseAsync(
        string clusterName, IReadOnlyList<AnsibleHost> hosts, SshCredential credential, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(hosts);
        var results = await Task.WhenAll(hosts.Select(async host =>
        {
            try
            {
                using var lease = await pool.AcquireAsync(new SshTarget(clusterName, host.Name, host.Address, host.Port, credential), cancellationToken).ConfigureAwait(false);
                return (host.Name, Failure: (AnsibleHostFailure?)null);
            }
            catch (SshConnectException ex)
            {
                return (host.Name, Failure: new AnsibleHostFailure(ex.ErrorCode, ex.Message));
            }
        })).ConfigureAwait(false);
        return results.Where(r => r.Failure is not null).ToDictionary(r => r.Name, r => r.Failure!, StringComparer.Ordinal);
    }

    private async Task<(HostKeyPin?, AnsibleHostFailure?)> PinAsync(string clusterName, AnsibleHost host, SshCredential credential, CancellationToken cancellationToken)
    {
        var pin = await pins.GetAsync(clusterName, host.Name, cancellationToken).ConfigureAwait(false);
        if (pin is not null)
        {
            return (pin, null);
        }

        try
        {
            using var lease = await pool.AcquireAsync(new SshTarget(clusterName, host.Name, host.Address, host.Port, credential), cancellationToken).ConfigureAwait(false);
        }
        catch (SshConnectException ex)
        {
            return (null, new AnsibleHostFailure(ex.ErrorCode, ex.Message));
        }

        pin = await pins.GetAsync(clusterName, host.Name, cancellationToken).ConfigureAwait(false);
        return pin is null ? (null, new AnsibleHostFailure(SshRunResult.ConnectionFailedCode, "未能固定节点的主机密钥")) : (pin, null);
    }
}
