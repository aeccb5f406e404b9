using System.Text;
using System.Text.Json;

namespace SovereignTrajectories.Trajectories.Redaction;

/// <summary>
/// Accumulates what was redacted in one run; it goes into the local archive with the run. It holds locations, rule
/// names and spans only, never a secret. Not thread-safe: one report per run being mapped.
/// </summary>
public sealed class RedactionReport
{
    private readonly List<RedactionFinding> _findings = [];

    /// <summary>Everything recorded so far, in the order it was found.</summary>
    public IReadOnlyList<RedactionFinding> Findings => _findings;

    /// <summary>Number of findings.</summary>
    public int Count => _findings.Count;

    /// <summary>Records one finding.</summary>
    public void Add(RedactionFinding finding)
    {
        ArgumentNullException.ThrowIfNull(finding);
        _findings.Add(finding);
    }

    /// <summary>Records several findings.</summary>
    public void AddRange(IEnumerable<RedactionFinding> findings)
    {
        ArgumentNullException.ThrowIfNull(findings);
        foreach (RedactionFinding finding in findings)
        {
            Add(finding);
        }
    }

    /// <summary>Count of findings per rule, ordered by rule name.</summary>
    public IReadOnlyDictionary<string, int> CountsByRule() =>
        _findings.GroupBy(f => f.Rule, StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);

    /// <summary>
    /// Writes <c>{"version":1,"count":n,"by_rule":{...},"findings":[{"location","rule","start","length"}...]}</c>.
    /// </summary>
    public void WriteTo(Utf8JsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStartObject();
        writer.WriteNumber("version", 1);
        writer.WriteNumber("count", _findings.Count);
        writer.WriteStartObject("by_rule");
        foreach (KeyValuePair<string, int> pair in CountsByRule())
        {
            writer.WriteNumber(pair.Key, pair.Value);
        }

        writer.WriteEndObject();
        writer.WriteStartArray("findings");
        foreach (RedactionFinding finding in _findings)
        {
            writer.WriteStartObject();
            writer.WriteString("location", finding.Location);
            writer.WriteString("rule", finding.Rule);
            writer.WriteNumber("start", finding.Start);
            writer.WriteNumber("length", finding.Length);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    /// <summary>The report as compact JSON (see <see cref="WriteTo"/>).</summary>
    public string ToJson()
    {
        using MemoryStream stream = new();
        using (Utf8JsonWriter writer = new(stream))
        {
            WriteTo(writer);
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }
}
