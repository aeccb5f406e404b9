namespace SovereignTrajectories.Testing;

/// <summary>The last lines a child process wrote, kept for error messages. Thread-safe.</summary>
internal sealed class OutputTail(int capacity = 40)
{
    private readonly Queue<string> _lines = new();
    private readonly Lock _gate = new();

    public void Add(string line)
    {
        lock (_gate)
        {
            _lines.Enqueue(line);
            while (_lines.Count > capacity)
            {
                _lines.Dequeue();
            }
        }
    }

    public override string ToString()
    {
        lock (_gate)
        {
            return _lines.Count == 0 ? "(nothing)" : string.Join(Environment.NewLine, _lines);
        }
    }
}
