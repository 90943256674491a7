using NodeOps.Runners.Ssh;

namespace NodeOps.Functions.Hosting;

/// <summary>Closes idle SSH connections (ssh.idle_timeout) and keeps the pool within ssh.connection_pool_size.</summary>
internal sealed class SshPoolHostedService(SshConnectionPool pool, TimeProvider time, ILogger<SshPoolHostedService> logger) : BackgroundService
{
    private static readonly TimeSpan SweepEvery = TimeSpan.FromSeconds(5);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(SweepEvery, time, stoppingToken);
                await pool.SweepAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is IOException or NodeOps.Storage.TableStoreException)
            {
                logger.LogWarning("Sweeping SSH connections failed: {Reason}", ex.Message);
            }
        }
    }
}
