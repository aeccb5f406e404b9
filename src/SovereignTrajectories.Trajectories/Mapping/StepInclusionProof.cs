using System.Globalization;
using System.Text.Json;
using SovereignTrajectories.Nostr.Codecs;
using SovereignTrajectories.Nostr.Events;
using SovereignTrajectories.Trajectories.Commitments;
using SovereignTrajectories.Trajectories.Json;

namespace SovereignTrajectories.Trajectories.Mapping;

/// <summary>
/// Proof that one step event is leaf <see cref="LeafIndex"/> (= seq - 1) of the session's
/// <c>merkle_root</c> tree (profile §5.2): what <c>sovtraj prove</c> prints and
/// <c>sovtraj verify-proof</c> checks, offline, against the step event itself.
/// </summary>
public sealed record StepInclusionProof(string Coordinate, string Root, int Size, int LeafIndex, string Leaf, IReadOnlyList<string> Path)
{
    /// <summary>
    /// Builds the proof for step <paramref name="seq"/> of the session in <paramref name="events"/>.
    /// The tree is the one the newest session version commits to (its <c>merkle_root</c> size),
    /// or all steps when the session carries no root; a root that the steps do not reproduce is an error.
    /// </summary>
    public static StepInclusionProof Create(IEnumerable<NostrEvent> events, int seq, string? sid = null)
    {
        TrajectoryReadResult read = TrajectoryEventReader.Read(events, sid);
        NostrEvent session = read.Session;
        string coordinate = TrajectoryKinds.Coordinate(session.PubKey, session.DTag);
        Tag? rootTag = session.Tags.Find("merkle_root");
        int size = read.StepEvents.Count;
        if (rootTag is { Count: >= 3 } && int.TryParse(rootTag[2], NumberStyles.None, CultureInfo.InvariantCulture, out int committed))
        {
            if (committed > read.StepEvents.Count)
            {
                throw new TrajectoryMappingException($"the session commits to {committed} steps but only {read.StepEvents.Count} are present");
            }

            size = committed;
        }

        if (seq < 1 || seq > size)
        {
            throw new TrajectoryMappingException($"seq {seq} is not a committed step; the session has steps 1..{size}", seq);
        }

        MerkleTree tree = MerkleTree.FromEventIds(read.StepEvents.Take(size).Select(e => e.Id));
        if (rootTag?.Value is { } published && !string.Equals(published, tree.RootHex, StringComparison.Ordinal))
        {
            throw new TrajectoryMappingException($"the step events do not reproduce the session's merkle_root {published} (they give {tree.RootHex})");
        }

        return new StepInclusionProof(coordinate, tree.RootHex, size, seq - 1, read.StepEvents[seq - 1].Id, MerkleProof.ToHex(tree.InclusionProof(seq - 1)));
    }

    /// <summary>
    /// Checks the proof against <paramref name="step"/>: its id and signature, that it is the
    /// proven leaf, that it belongs to <see cref="Coordinate"/> at seq <see cref="LeafIndex"/> + 1,
    /// and the Merkle path up to <see cref="Root"/>. Returns null when valid, else the reason.
    /// </summary>
    public string? Verify(NostrEvent step)
    {
        ArgumentNullException.ThrowIfNull(step);
        EventCheck check = EventVerifier.Verify(step);
        if (!check.IsValid)
        {
            return "the step event is not validly signed: " + check.Reason;
        }

        if (!string.Equals(step.Id, Leaf, StringComparison.Ordinal))
        {
            return $"the step event {step.Id} is not the proven leaf {Leaf}";
        }

        if (!TrajectoryKinds.IsStep(step.Kind))
        {
            return $"the event is kind {step.Kind}, not a step (39231)";
        }

        string[] parts = Coordinate.Split(':', 3);
        if (parts.Length != 3 || !string.Equals(parts[1], step.PubKey, StringComparison.Ordinal))
        {
            return $"the step is signed by {step.PubKey}, not the session's agent in {Coordinate}";
        }

        if (!step.Tags.All("a").ContainsValue(Coordinate) && step.Tags.FindValue("session") != parts[2])
        {
            return $"the step does not reference the session {Coordinate}";
        }

        string expectedSeq = (LeafIndex + 1).ToString(CultureInfo.InvariantCulture);
        if (step.Tags.FindValue("seq") != expectedSeq)
        {
            return $"the step's seq is {step.Tags.FindValue("seq") ?? "missing"}, but leaf {LeafIndex} is seq {expectedSeq}";
        }

        return MerkleProof.VerifyInclusionHex(LeafIndex, Size, Leaf, Path, Root)
            ? null
            : $"the path does not lead from leaf {LeafIndex} to root {Root} in a tree of {Size}";
    }

    public string ToJson()
    {
        var w = new CompactJsonWriter();
        w.StartObject();
        w.String("coordinate", Coordinate);
        w.String("root", Root);
        w.Number("size", Size);
        w.Number("leaf_index", LeafIndex);
        w.String("leaf", Leaf);
        w.Name("path");
        w.StartArray();
        foreach (string node in Path)
        {
            w.StringValue(node);
        }

        w.EndArray();
        w.EndObject();
        return w.ToJsonString();
    }

    /// <summary>Parses a proof; throws <see cref="FormatException"/> naming <paramref name="source"/> and the field.</summary>
    public static StepInclusionProof Parse(string json, string source = "proof")
    {
        ArgumentNullException.ThrowIfNull(json);
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(json);
        }
        catch (JsonException ex)
        {
            throw new TrajectoryFormatException(source, "json", "not JSON: " + ex.Message, ex);
        }

        using (doc)
        {
            JsonElement root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new TrajectoryFormatException(source, "json", "must be a JSON object");
            }

            string Str(string name, int? hexLength = null)
            {
                if (!root.TryGetProperty(name, out JsonElement e) || e.ValueKind != JsonValueKind.String)
                {
                    throw new TrajectoryFormatException(source, name, "missing or not a string");
                }

                string value = e.GetString()!;
                if (hexLength is { } n && !Hex.IsLowerHex(value, n))
                {
                    throw new TrajectoryFormatException(source, name, $"must be {n} lower-case hex characters");
                }

                return value;
            }

            int Int(string name)
            {
                if (!root.TryGetProperty(name, out JsonElement e) || e.ValueKind != JsonValueKind.Number || !e.TryGetInt32(out int v) || v < 0)
                {
                    throw new TrajectoryFormatException(source, name, "missing or not a non-negative integer");
                }

                return v;
            }

            if (!root.TryGetProperty("path", out JsonElement pathElement) || pathElement.ValueKind != JsonValueKind.Array)
            {
                throw new TrajectoryFormatException(source, "path", "missing or not an array");
            }

            var path = new List<string>();
            int i = 0;
            foreach (JsonElement node in pathElement.EnumerateArray())
            {
                if (node.ValueKind != JsonValueKind.String || !Hex.IsLowerHex(node.GetString(), 64))
                {
                    throw new TrajectoryFormatException(source, $"path[{i}]", "must be 64 lower-case hex characters");
                }

                path.Add(node.GetString()!);
                i++;
            }

            return new StepInclusionProof(Str("coordinate"), Str("root", 64), Int("size"), Int("leaf_index"), Str("leaf", 64), path);
        }
    }
}
