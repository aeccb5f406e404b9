namespace SovereignTrajectories.Trajectories.Verification;

/// <summary>
/// A run's verification verdict, as the session's <c>verification</c> object states it: the last run of each kind
/// counts (an agent that fixes a failing test and reruns it passes), and the run passed only when every kind's
/// last run passed.
/// </summary>
/// <param name="Passed">True when at least one run was recorded and the last run of every kind passed.</param>
/// <param name="Runs">Number of verification runs.</param>
/// <param name="FailedRuns">Number of runs that failed, including ones later fixed.</param>
/// <param name="LastByKind">Per kind, whether its last run passed.</param>
public sealed record VerificationVerdict(bool Passed, int Runs, int FailedRuns, IReadOnlyDictionary<string, bool> LastByKind)
{
    /// <summary>
    /// Folds the records in seq order. No records gives <see cref="Passed"/> = false with 0 runs: nothing was
    /// verified, and the session then carries no <c>verification</c> object at all.
    /// </summary>
    public static VerificationVerdict Compute(IEnumerable<VerificationRecord> records)
    {
        ArgumentNullException.ThrowIfNull(records);
        Dictionary<string, bool> last = new(StringComparer.Ordinal);
        int runs = 0;
        int failed = 0;
        foreach (VerificationRecord record in records)
        {
            ArgumentNullException.ThrowIfNull(record, nameof(records));
            runs++;
            if (!record.Passed)
            {
                failed++;
            }

            last[record.Kind] = record.Passed;
        }

        return new VerificationVerdict(runs > 0 && last.Values.All(p => p), runs, failed, last);
    }
}
