using SovereignTrajectories.Trajectories.Model;

namespace SovereignTrajectories.Trajectories.Ingest;

/// <summary>
/// Notes an adapter collects. Repeats of one code beyond <see cref="PerCodeLimit"/> are counted,
/// not stored, so a log with a million ignored lines cannot make the notes grow without bound.
/// </summary>
internal sealed class NoteList
{
    public const int PerCodeLimit = 50;

    private readonly List<TrajectoryNote> _notes = [];
    private readonly Dictionary<string, int> _counts = new(StringComparer.Ordinal);

    public void Add(string code, string message, string? location = null)
    {
        _counts.TryGetValue(code, out int n);
        _counts[code] = n + 1;
        if (n < PerCodeLimit)
        {
            _notes.Add(new TrajectoryNote(code, message, location));
        }
    }

    /// <summary>Counts an ignored thing per kind; <see cref="ToList"/> reports each kind once with its count.</summary>
    public void Count(string code, string what)
    {
        string key = code + "\u0000" + what;
        _counts.TryGetValue(key, out int n);
        _counts[key] = n + 1;
    }

    public int CountOf(string code) => _counts.TryGetValue(code, out int n) ? n : 0;

    public ValueList<TrajectoryNote> ToList(string source)
    {
        var all = new List<TrajectoryNote>(_notes);
        foreach ((string key, int n) in _counts)
        {
            int sep = key.IndexOf('\u0000', StringComparison.Ordinal);
            if (sep >= 0)
            {
                all.Add(new TrajectoryNote(key[..sep], $"{key[(sep + 1)..]} ({n}x)", source));
            }
            else if (n > PerCodeLimit)
            {
                all.Add(new TrajectoryNote(key, $"{n - PerCodeLimit} more '{key}' notes not listed", source));
            }
        }

        return ValueList.From(all);
    }
}
