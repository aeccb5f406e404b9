using System.Globalization;
using SovereignTrajectories.Nostr.Events;
using SovereignTrajectories.Nostr.Keys;
using SovereignTrajectories.Trajectories.Commitments;
using SovereignTrajectories.Trajectories.Mapping;

namespace SovereignTrajectories.Audit.Tests.Tamper;

/// <summary>
/// How a cheating agent holding its own key rewrites a run: edit some steps, re-sign them and every
/// later step so the reply chain still holds, and re-sign the final session version with recomputed
/// commitments, so that only the lie itself is left for the verifier to find.
/// </summary>
internal static class Forge
{
    public static UnsignedEvent Template(NostrEvent e) => new(e.CreatedAt, e.Kind, e.Tags, e.Content);

    public static UnsignedEvent WithTag(UnsignedEvent u, string name, params string[] values) =>
        u with { Tags = new TagList(u.Tags.Select(t => t.Name == name ? new Tag([name, .. values]) : t)) };

    /// <summary>
    /// Applies <paramref name="editStep"/> (by seq) and <paramref name="editFinalContent"/>, re-signs what
    /// changed and everything after it, and fixes the final version's trajectory_hash and merkle_root
    /// unless <paramref name="fixCommitments"/> is false.
    /// </summary>
    public static List<NostrEvent> Rechain(
        MappedTrajectory mapped,
        SecretKey key,
        Func<int, UnsignedEvent, UnsignedEvent>? editStep = null,
        Func<UnsignedEvent, UnsignedEvent>? editFinal = null,
        bool fixCommitments = true)
    {
        var steps = new List<NostrEvent>();
        string? previousNew = null;
        bool changed = false;
        for (int i = 0; i < mapped.StepEvents.Count; i++)
        {
            NostrEvent original = mapped.StepEvents[i];
            UnsignedEvent u = Template(original);
            if (previousNew is not null)
            {
                u = u with { Tags = new TagList(u.Tags.Select(t => t.Name == "e" && t.Count >= 4 && t[3] == "reply" ? new Tag("e", previousNew, t[2], "reply") : t)) };
            }

            u = editStep?.Invoke(i + 1, u) ?? u;
            bool same = u.Tags.Equals(original.Tags) && u.Content == original.Content && u.CreatedAt == original.CreatedAt && !changed;
            NostrEvent e = same ? original : EventSigner.Sign(u, key);
            changed |= !same;
            steps.Add(e);
            previousNew = e.Id;
        }

        NostrEvent final = mapped.SessionVersions[^1];
        UnsignedEvent f = Template(final);
        if (fixCommitments && changed)
        {
            f = Recommit(f, mapped.StepEvents, steps);
        }

        f = editFinal?.Invoke(f) ?? f;
        NostrEvent newFinal = f.Tags.Equals(final.Tags) && f.Content == final.Content ? final : EventSigner.Sign(f, key);
        return [.. mapped.SessionVersions.Take(mapped.SessionVersions.Count - 1), .. steps, newFinal];
    }

    /// <summary>Rewrites a session version's hashes and sizes from <paramref name="oldSteps"/> to <paramref name="newSteps"/>.</summary>
    public static UnsignedEvent Recommit(UnsignedEvent session, IReadOnlyList<NostrEvent> oldSteps, IReadOnlyList<NostrEvent> newSteps)
    {
        string oldRoot = MerkleTree.FromEventIds(oldSteps.Select(e => e.Id)).RootHex;
        string newRoot = MerkleTree.FromEventIds(newSteps.Select(e => e.Id)).RootHex;
        string oldHash = TrajectoryHash.Compute(oldSteps.Select(e => e.Content))!;
        string newHash = TrajectoryHash.Compute(newSteps.Select(e => e.Content))!;
        string oldN = oldSteps.Count.ToString(CultureInfo.InvariantCulture);
        string newN = newSteps.Count.ToString(CultureInfo.InvariantCulture);
        string Fix(string s) => s.Replace(oldRoot, newRoot, StringComparison.Ordinal).Replace(oldHash, newHash, StringComparison.Ordinal);
        var tags = session.Tags.Select(t => t.Name == "merkle_root"
            ? new Tag("merkle_root", newRoot, newN)
            : new Tag(t.Values.Select(Fix)));
        string content = Fix(session.Content).Replace($"\"total_events\":{oldN}", $"\"total_events\":{newN}", StringComparison.Ordinal);
        return session with { Tags = new TagList(tags), Content = content };
    }
}
