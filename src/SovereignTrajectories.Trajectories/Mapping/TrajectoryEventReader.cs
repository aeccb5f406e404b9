using System.Globalization;
using System.Runtime.ExceptionServices;
using SovereignTrajectories.Nostr.Events;
using SovereignTrajectories.Trajectories.Json;
using SovereignTrajectories.Trajectories.Model;

namespace SovereignTrajectories.Trajectories.Mapping;

/// <summary>
/// Parses kind 39230/39231 events (and the legacy 38030/38031, profile §8) back into the model.
/// It reads; it does not verify ids, signatures or commitments (that is the verifier's job), and
/// reports every legacy form or oddity it accepts as a <see cref="TrajectoryNote"/>.
/// </summary>
public static class TrajectoryEventReader
{
    /// <summary>
    /// Reads the session <paramref name="sid"/> (or the only session present) and its steps from
    /// <paramref name="events"/>. Throws <see cref="TrajectoryFormatException"/> naming the event
    /// and field when something cannot be read.
    /// </summary>
    public static TrajectoryReadResult Read(IEnumerable<NostrEvent> events, string? sid = null)
    {
        ArgumentNullException.ThrowIfNull(events);
        NostrEvent[] all = events.DistinctBy(e => e.Id).ToArray();
        var notes = new List<TrajectoryNote>();

        NostrEvent[] sessions = all.Where(e => TrajectoryKinds.IsSession(e.Kind) && (sid is null || e.DTag == sid)).ToArray();
        if (sessions.Length == 0)
        {
            throw new TrajectoryFormatException("events", "kind 39230", sid is null ? "no session event" : $"no session event with d = '{sid}'");
        }

        string[] sids = sessions.Select(e => e.PubKey + ":" + e.DTag).Distinct(StringComparer.Ordinal).ToArray();
        if (sids.Length > 1)
        {
            throw new TrajectoryFormatException("events", "kind 39230", $"{sids.Length} different sessions present; name the sid to read");
        }

        // NIP-01: the newest version wins; on a same-second tie, the lowest id.
        NostrEvent[] versions = sessions.OrderBy(e => e.CreatedAt).ThenByDescending(e => e.Id, StringComparer.Ordinal).ToArray();
        NostrEvent session = versions[^1];
        if (session.Kind == TrajectoryKinds.LegacySession)
        {
            notes.Add(new TrajectoryNote("legacy-kind", "session uses the legacy kind 38030", Where(session)));
        }

        SessionInfo info = ReadSession(session, notes);
        string coordinate = TrajectoryKinds.Coordinate(session.PubKey, info.Sid);
        string legacyCoordinate = $"{TrajectoryKinds.LegacySession}:{session.PubKey}:{info.Sid}";

        // A hash map while reading, sorted once at the end: a sorted tree per insert cost more than the rest of the loop.
        var bySeq = new Dictionary<long, NostrEvent>();
        foreach (NostrEvent e in InTimeOrder(all.Where(e => TrajectoryKinds.IsStep(e.Kind)).ToArray()))
        {
            if (!BelongsTo(e, info.Sid, coordinate, legacyCoordinate, notes))
            {
                continue;
            }

            if (e.Kind == TrajectoryKinds.LegacyStep)
            {
                notes.Add(new TrajectoryNote("legacy-kind", "step uses the legacy kind 38031", Where(e)));
            }

            if (e.PubKey != session.PubKey && !info.Participants.Contains(e.PubKey))
            {
                notes.Add(new TrajectoryNote("foreign-author", $"step is signed by {e.PubKey}, neither the agent nor a participant", Where(e)));
            }

            long seq = ReadSeq(e, info.Sid, notes);
            if (!bySeq.TryAdd(seq, e))
            {
                notes.Add(new TrajectoryNote("equivocation", $"a second event {e.Id} for seq {seq}; kept {bySeq[seq].Id}", Where(e)));
            }
        }

        long[] seqs = bySeq.Keys.ToArray();
        Array.Sort(seqs);
        long offset = 0;
        if (seqs.Length > 0 && seqs[0] == 0)
        {
            offset = 1;
            notes.Add(new TrajectoryNote("zero-based-seq", "steps are numbered from 0; read as seq + 1", coordinate));
        }

        var stepEvents = new List<NostrEvent>(seqs.Length);
        foreach (long rawSeq in seqs)
        {
            stepEvents.Add(bySeq[rawSeq]);
        }

        // Each content is read on its own (the longest part of reading a large run), on every core; the
        // notes are then put back in the order a sequential read gives: a seq-gap note, then the step's own.
        var stepArray = new Step[seqs.Length];
        var stepNotes = new List<TrajectoryNote>?[seqs.Length];
        var errors = new ExceptionDispatchInfo?[seqs.Length];
        // Each worker reuses one list for the notes a step gives; a step with notes keeps a copy.
        Parallel.For(0, seqs.Length, () => new List<TrajectoryNote>(), (k, _, own) =>
        {
            NostrEvent e = stepEvents[k];
            own.Clear();
            try
            {
                // Numbered here, while the step is young: Trajectory.Create keeps a step whose seq is already
                // right, instead of copying all of them once they have been promoted.
                var source = new StepSource(WherePrefix, e.Id);
                Step step = e.TryGetContentUtf8(out ReadOnlyMemory<byte> utf8)
                    ? StepContentReader.Read(utf8.Span, e.Tags.FindValue("step"), source, own)
                    : StepContentReader.Read(e.Content, e.Tags.FindValue("step"), source, own);
                stepArray[k] = step.Seq == k + 1 ? step : step with { Seq = k + 1 };
            }
            catch (FormatException ex)
            {
                // Kept with its stack, and rethrown below only if a sequential read would have reached it.
                errors[k] = ExceptionDispatchInfo.Capture(ex);
            }
            catch (Exception ex) when (ex is ArgumentException or InvalidOperationException)
            {
                // Text the JSON reader cannot decode at all (a lone surrogate in a hand-built event; the
                // event parser refuses those): a step that cannot be read, named, not a crash of the read.
                errors[k] = ExceptionDispatchInfo.Capture(new TrajectoryFormatException(Where(e), "content", "is not valid Unicode text (a lone surrogate)", ex));
            }

            stepNotes[k] = own.Count == 0 ? null : [.. own];
            return own;
        }, static _ => { });

        long expected = 1;
        for (int k = 0; k < seqs.Length; k++)
        {
            long seq = seqs[k] + offset;
            if (seq != expected)
            {
                notes.Add(new TrajectoryNote("seq-gap", $"seq {expected} is missing; next present is {seq}", coordinate));
                expected = seq;
            }

            expected++;

            // The first unreadable step in seq order is the one a sequential read would have stopped at.
            errors[k]?.Throw();

            if (stepNotes[k] is { } own)
            {
                notes.AddRange(own);
            }
        }

        var steps = new List<Step>(stepArray);
        Trajectory trajectory = Trajectory.Create(info, steps) with { Notes = ValueList.From(notes) };
        return new TrajectoryReadResult(trajectory, session, versions, stepEvents);
    }

    /// <summary>
    /// The steps by created_at, then id: the order notes and the first of two events for one seq follow.
    /// Ids are unique here, so the order is total and any sort gives it. Steps that arrive in that order
    /// already (a verifier's do when each step has a second of its own) are only checked, not sorted.
    /// </summary>
    private static NostrEvent[] InTimeOrder(NostrEvent[] steps)
    {
        for (int i = 1; i < steps.Length; i++)
        {
            if (CompareTimeThenId(steps[i - 1], steps[i]) > 0)
            {
                Array.Sort(steps, CompareTimeThenId);
                break;
            }
        }

        return steps;
    }

    private static int CompareTimeThenId(NostrEvent x, NostrEvent y) =>
        x.CreatedAt != y.CreatedAt ? x.CreatedAt.CompareTo(y.CreatedAt) : string.CompareOrdinal(x.Id, y.Id);

    private static SessionInfo ReadSession(NostrEvent e, List<TrajectoryNote> notes)
    {
        string where = Where(e);
        string sid = e.DTag;
        if (!SessionIds.IsValid(sid))
        {
            throw new TrajectoryFormatException(where, "tags.d", $"'{Rfc3339.Shorten(sid)}' is not a valid session id (1-128 of [A-Za-z0-9._:-])");
        }

        long startedAt = UnixTag(e, "started_at") ?? e.CreatedAt;
        long? endedAt = UnixTag(e, "ended_at");
        string? visibilityText = e.Tags.FindValue("visibility");
        TrajectoryVisibility visibility = TrajectoryVisibility.Public;
        if (visibilityText is not null && !WireNames.TryParseVisibility(visibilityText, out visibility))
        {
            throw new TrajectoryFormatException(where, "tags.visibility", $"'{visibilityText}' is not public or private");
        }

        string? tick = e.Tags.FindValue("tick");
        if (tick is null && e.Tags.FindValue("tick_id") is { } tickId)
        {
            tick = tickId;
            notes.Add(new TrajectoryNote("legacy-tag", "tag alias tick_id read as tick", where));
        }

        return new SessionInfo(sid, DateTimeOffset.FromUnixTimeSeconds(startedAt))
        {
            EndedAt = endedAt is null ? null : DateTimeOffset.FromUnixTimeSeconds(endedAt.Value),
            Model = e.Tags.FindValue("model") ?? "unknown",
            Visibility = visibility,
            Tick = tick,
            Participants = ValueList.From(e.Tags.All("p").Select(t => t.Value).OfType<string>()),
            Repo = e.Tags.FindValue("repo"),
            Sha = e.Tags.FindValue("sha"),
        };
    }

    private static bool BelongsTo(NostrEvent e, string sid, string coordinate, string legacyCoordinate, List<TrajectoryNote> notes)
    {
        foreach (Tag a in e.Tags.All("a"))
        {
            if (a.Value == coordinate || a.Value == legacyCoordinate)
            {
                return true;
            }
        }

        if (e.Tags.FindValue("session") == sid)
        {
            return true;
        }

        if (e.Tags.FindValue("session_id") == sid)
        {
            notes.Add(new TrajectoryNote("legacy-tag", "tag alias session_id read as session", Where(e)));
            return true;
        }

        return false;
    }

    private static long ReadSeq(NostrEvent e, string sid, List<TrajectoryNote> notes)
    {
        string? text = e.Tags.FindValue("seq");
        if (text is null && e.Tags.FindValue("sequence") is { } alias)
        {
            text = alias;
            notes.Add(new TrajectoryNote("legacy-tag", "tag alias sequence read as seq", Where(e)));
        }

        if (text is null && e.DTag.StartsWith(sid + ":", StringComparison.Ordinal))
        {
            text = e.DTag[(sid.Length + 1)..];
            notes.Add(new TrajectoryNote("seq-from-d", "no seq tag; seq taken from the d tag", Where(e)));
        }

        if (text is null)
        {
            throw new TrajectoryFormatException(Where(e), "tags.seq", "missing");
        }

        if (!long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out long seq) || seq > int.MaxValue)
        {
            throw new TrajectoryFormatException(Where(e), "tags.seq", $"'{Rfc3339.Shorten(text)}' is not a non-negative integer");
        }

        return seq;
    }

    private static long? UnixTag(NostrEvent e, string name)
    {
        string? text = e.Tags.FindValue(name);
        if (text is null)
        {
            return null;
        }

        return long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out long v)
            ? v
            : throw new TrajectoryFormatException(Where(e), "tags." + name, $"'{Rfc3339.Shorten(text)}' is not a unix time in seconds");
    }

    private const string WherePrefix = "event ";

    private static string Where(NostrEvent e) => WherePrefix + e.Id;
}
