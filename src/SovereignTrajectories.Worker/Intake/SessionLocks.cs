using System.Collections.Concurrent;

namespace SovereignTrajectories.Worker.Intake;

/// <summary>
/// One lock per session id, so a live follower, a feedback request and the spool never append to
/// the same session at once (each append continues from the stored step count).
/// </summary>
public sealed class SessionLocks
{
    private readonly ConcurrentDictionary<string, Entry> _locks = new(StringComparer.Ordinal);

    /// <summary>Waits for the session's lock; dispose the result to release it.</summary>
    public async Task<IDisposable> AcquireAsync(string sid, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sid);
        Entry entry;
        while (true)
        {
            entry = _locks.GetOrAdd(sid, _ => new Entry());
            lock (entry)
            {
                // An entry being removed is dead: take a fresh one.
                if (entry.Users >= 0)
                {
                    entry.Users++;
                    break;
                }
            }
        }

        try
        {
            await entry.Semaphore.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            Leave(sid, entry);
            throw;
        }

        return new Releaser(this, sid, entry);
    }

    private void Leave(string sid, Entry entry)
    {
        lock (entry)
        {
            entry.Users--;
            if (entry.Users == 0)
            {
                entry.Users = -1;
                _locks.TryRemove(new KeyValuePair<string, Entry>(sid, entry));
            }
        }
    }

    private sealed class Entry
    {
        public SemaphoreSlim Semaphore { get; } = new(1, 1);

        public int Users { get; set; }
    }

    private sealed class Releaser(SessionLocks owner, string sid, Entry entry) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                entry.Semaphore.Release();
                owner.Leave(sid, entry);
            }
        }
    }
}
