using System.Collections;

namespace SovereignTrajectories.Audit.Checks;

/// <summary>
/// An ordered collection of check results, built up by the auditor's passes. Not thread-safe: each
/// pass fills its own list and the caller merges them with <see cref="AddRange"/>.
/// </summary>
public sealed class CheckList : IReadOnlyList<CheckResult>
{
    private readonly List<CheckResult> _results = [];

    public int Count => _results.Count;

    public CheckResult this[int index] => _results[index];

    /// <summary>True when no required check failed.</summary>
    public bool AllRequiredPass => !_results.Exists(r => r.IsBlocking);

    /// <summary>True when some required check failed.</summary>
    public bool HasFailures => _results.Exists(r => r.IsBlocking);

    public CheckResult Add(CheckResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        _results.Add(result);
        return result;
    }

    public void AddRange(IEnumerable<CheckResult> results)
    {
        ArgumentNullException.ThrowIfNull(results);
        foreach (CheckResult r in results)
        {
            Add(r);
        }
    }

    public CheckResult Pass(string name, string reason, params string[] evidenceIds) => Add(CheckResult.Pass(name, reason, evidenceIds));

    public CheckResult Fail(string name, string reason, params string[] evidenceIds) => Add(CheckResult.Fail(name, reason, evidenceIds));

    public CheckResult Warn(string name, string reason, params string[] evidenceIds) => Add(CheckResult.Warn(name, reason, evidenceIds));

    public CheckResult Unverifiable(string name, string reason, params string[] evidenceIds) => Add(CheckResult.Unverifiable(name, reason, evidenceIds));

    public CheckResult Note(string name, string reason, params string[] evidenceIds) => Add(CheckResult.Note(name, reason, evidenceIds));

    /// <summary>Adds <see cref="CheckStatus.Pass"/> when <paramref name="condition"/> holds, otherwise <see cref="CheckStatus.Fail"/>.</summary>
    public CheckResult Expect(bool condition, string name, string passReason, string failReason, params string[] evidenceIds) =>
        condition ? Pass(name, passReason, evidenceIds) : Fail(name, failReason, evidenceIds);

    /// <summary>Every result named <paramref name="name"/>, in the order added.</summary>
    public IEnumerable<CheckResult> Named(string name) => _results.Where(r => string.Equals(r.Name, name, StringComparison.Ordinal));

    /// <summary>The first result named <paramref name="name"/>, or null.</summary>
    public CheckResult? Find(string name) => _results.Find(r => string.Equals(r.Name, name, StringComparison.Ordinal));

    public IEnumerator<CheckResult> GetEnumerator() => _results.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
