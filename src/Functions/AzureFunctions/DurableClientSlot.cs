using Microsoft.DurableTask.Client;

namespace NodeOps.Functions.AzureFunctions;

/// <summary>
/// The DurableTaskClient the Functions host binds ([DurableClient]). The host hands it to functions, not to the
/// container, so each function that binds one puts it here; it is the same client (one task hub) every time.
/// </summary>
internal sealed class DurableClientSlot
{
    private volatile DurableTaskClient? _client;

    public void Use(DurableTaskClient client) => _client = client ?? throw new ArgumentNullException(nameof(client));

    public DurableTaskClient Client => _client
        ?? throw new InvalidOperationException("No function has bound a DurableTaskClient yet: orchestrations are reached from HTTP and timer functions.");
}
