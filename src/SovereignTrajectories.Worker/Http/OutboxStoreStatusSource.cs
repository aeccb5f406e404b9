using SovereignTrajectories.Worker.Outbox;

namespace SovereignTrajectories.Worker.Http;

/// <summary>Reads <c>/status</c> from the worker's <see cref="OutboxStore"/> when no other status source is registered.</summary>
public sealed class OutboxStoreStatusSource : IWorkerStatusSource
{
    private readonly OutboxStore _store;

    public OutboxStoreStatusSource(OutboxStore store)
    {
        ArgumentNullException.ThrowIfNull(store);
        _store = store;
    }

    public Task<OutboxStatus> GetStatusAsync(CancellationToken cancellationToken) => _store.GetStatusAsync(cancellationToken);
}
