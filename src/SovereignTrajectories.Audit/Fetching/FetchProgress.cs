namespace SovereignTrajectories.Audit.Fetching;

/// <summary>
/// The events received so far in one fetch from several relay pools at once: each pool reports its own
/// running count, and their sum goes out under a lock, so that reports never go backwards.
/// </summary>
internal sealed class FetchProgress(IProgress<AuditProgress> progress, int pools)
{
    private readonly Lock _gate = new();
    private readonly int[] _counts = new int[pools];

    public IProgress<int> ForPool(int index) => new Slot(this, index);

    private void Update(int index, int count)
    {
        lock (_gate)
        {
            _counts[index] = count;
            progress.Report(new AuditProgress(AuditStage.Fetching, _counts.Sum(), null));
        }
    }

    private sealed class Slot(FetchProgress owner, int index) : IProgress<int>
    {
        public void Report(int value) => owner.Update(index, value);
    }
}
