using System.Globalization;
using System.Security.Cryptography;
using SovereignTrajectories.Audit.Checks;
using SovereignTrajectories.Audit.Claims;
using SovereignTrajectories.Audit.Fetching;
using SovereignTrajectories.Nostr.Crypto;
using SovereignTrajectories.Nostr.Events;
using SovereignTrajectories.Trajectories.Commitments;
using SovereignTrajectories.Trajectories.Json;
using SovereignTrajectories.Trajectories.Mapping;
using SovereignTrajectories.Trajectories.Model;
using VerdictOf = SovereignTrajectories.Trajectories.Verification.VerificationVerdict;
using VerificationRecord = SovereignTrajectories.Trajectories.Verification.VerificationRecord;

namespace SovereignTrajectories.Audit.Verification;

/// <summary>
/// Runs the trajectory checks of profile §7 (items 1-6 and 8) on the events fetched for one session.
/// Nothing is trusted because a relay or the agent said so: every event is verified here (in parallel,
/// on every core), duplicates are dropped only after verification, and every committed value is
/// recomputed from the verified steps. Thread-safe: holds only options.
/// </summary>
public sealed class TrajectoryVerifier
{
    private readonly TrajectoryVerifierOptions _options;
    private readonly TimeProvider _time;

    public TrajectoryVerifier(TrajectoryVerifierOptions? options = null, TimeProvider? time = null)
    {
        _options = options ?? new TrajectoryVerifierOptions();
        _time = time ?? TimeProvider.System;
    }

    public TrajectoryVerification Verify(TrajectoryEvidence evidence)
    {
        ArgumentNullException.ThrowIfNull(evidence);
        var run = new Run(evidence, _options, _time.GetUtcNow().ToUnixTimeSeconds());
        return run.Execute();
    }

    /// <summary>One verification: the evidence, the checks so far and what has been established.</summary>
    private sealed class Run(TrajectoryEvidence evidence, TrajectoryVerifierOptions options, long now)
    {
        private readonly CheckList _checks = new();
        private readonly string _coordinate = evidence.Coordinate;
        private readonly string _legacyCoordinate = $"{TrajectoryKinds.LegacySession}:{evidence.PubKey}:{evidence.Sid}";

        public TrajectoryVerification Execute()
        {
            FetchChecks();
            List<NostrEvent> valid = VerifySignatures(out int invalidSessions);
            List<NostrEvent> versions = valid
                .Where(e => TrajectoryKinds.IsSession(e.Kind))
                .OrderBy(e => e.CreatedAt)
                .ThenByDescending(e => e.Id, StringComparer.Ordinal)
                .ToList();
            if (versions.Count == 0)
            {
                if (invalidSessions > 0)
                {
                    _checks.Fail(AuditCheckNames.SessionFound, $"every session version of {_coordinate} at hand fails verification");
                    return Result(null, null, null, versions);
                }

                _checks.Fail(AuditCheckNames.SessionFound, $"no session event {_coordinate} found");
                return Result($"session {_coordinate} not found in {Sources()}", null, null, versions);
            }

            NostrEvent newest = versions[^1];
            _checks.Pass(
                AuditCheckNames.SessionFound,
                $"{versions.Count} session version{(versions.Count == 1 ? string.Empty : "s")} of {_coordinate}",
                Ids(versions));
            _checks.Pass(AuditCheckNames.SessionNewest, $"newest version by NIP-01 rules: created_at {newest.CreatedAt}", newest.Id);
            ParsedSessionContent? content = ParseSession(newest);

            var participants = new HashSet<string>(newest.Tags.All("p").Select(t => t.Value).OfType<string>(), StringComparer.Ordinal);
            List<NostrEvent> chosen = ChooseSteps(valid, participants, out long offset, out List<long> rawSeqs);

            // Reading every step's content, the structural checks, the Merkle tree and the hash share
            // nothing: they run side by side, as four tasks so that no core waits for the longest pair.
            // Only the structural checks add checks, so checks keep the order of a sequential run.
            (TrajectoryReadResult? Read, TrajectoryFormatException? Error) readOutcome = default;
            bool contiguous = chosen.Count == 0 || rawSeqs[^1] + offset == chosen.Count;
            MerkleTree? tree = null;
            string? trajectoryHash = null;
            Together(
                () => readOutcome = ReadSteps(newest, chosen),
                () => StructuralChecks(chosen, rawSeqs, versions, content, offset),
                () => tree = contiguous && chosen.Count > 0 ? MerkleTree.FromEventIds(chosen.Select(e => e.Id)) : null,
                () => trajectoryHash = TrajectoryHash.ComputeFromEvents(chosen));

            TrajectoryReadResult? read = ReadModel(chosen, readOutcome.Read, readOutcome.Error);
            AppendOnly(versions, chosen.Count, tree, contiguous);
            if (read is not null)
            {
                AuditTags(read);
            }
            else
            {
                _checks.Unverifiable(AuditCheckNames.StepsAuditTags, "the steps could not be read (see steps.content)");
            }

            CheckTrajectoryHash(newest, content, trajectoryHash, chosen.Count);
            CheckMerkleRoot(newest, content, tree, chosen.Count, contiguous);
            (bool? verificationPassed, string? digest) = read is null ? (null, null) : CheckVerification(newest, content, read);
            if (read is not null)
            {
                CheckUsage(newest, content, read);
                CheckReward(newest, content, read);
            }

            Timestamps(newest, versions, chosen, rawSeqs);
            if (read is not null)
            {
                ArchiveChecks(read);
            }

            long? endedAt = long.TryParse(newest.Tags.FindValue("ended_at"), NumberStyles.None, CultureInfo.InvariantCulture, out long ended) ? ended : content?.EndedAt;
            var resolved = new ResolvedTrajectory(
                _coordinate,
                newest.Id,
                trajectoryHash,
                tree?.RootHex ?? (chosen.Count == 0 ? null : MerkleTree.FromEventIds(chosen.Select(e => e.Id)).RootHex),
                chosen.Count,
                verificationPassed,
                digest,
                endedAt,
                versions.Select(v => v.Id).ToHashSet(StringComparer.Ordinal));
            return Result(null, read, resolved, versions, content);
        }

        private TrajectoryVerification Result(string? couldNotRun, TrajectoryReadResult? read, ResolvedTrajectory? resolved, IReadOnlyList<NostrEvent> versions, ParsedSessionContent? content = null)
        {
            var ordered = new CheckList();
            ordered.AddRange(_checks
                .Select((c, i) => (c, i))
                .OrderBy(x => Rank(x.c.Name))
                .ThenBy(x => x.i)
                .Select(x => x.c));
            return new TrajectoryVerification(ordered, couldNotRun, read, resolved, content, versions);
        }

        private static int Rank(string name)
        {
            int i = -1;
            for (int k = 0; k < AuditCheckNames.Order.Count; k++)
            {
                if (AuditCheckNames.Order[k] == name)
                {
                    i = k;
                    break;
                }
            }

            return i < 0 ? int.MaxValue : i;
        }

        private string Sources() => evidence.Sources.Count == 0
            ? "the sources"
            : string.Join(", ", evidence.Sources.Select(s => s.Completed ? s.Source : $"{s.Source} ({s.Error ?? "incomplete"})"));

        private void FetchChecks()
        {
            if (evidence.Offline)
            {
                _checks.Pass(AuditCheckNames.FetchComplete, $"offline: read {evidence.Sources.Count} archive file{(evidence.Sources.Count == 1 ? string.Empty : "s")}");
                _checks.Pass(AuditCheckNames.FetchFilterMatch, "offline: events selected with the same filters a relay query uses");
            }
            else
            {
                SourceReport[] incomplete = evidence.Sources.Where(s => !s.Completed).ToArray();
                if (incomplete.Length == 0)
                {
                    _checks.Pass(AuditCheckNames.FetchComplete, $"{evidence.Sources.Count} relay{(evidence.Sources.Count == 1 ? string.Empty : "s")} answered every page to EOSE");
                }
                else if (incomplete.Length < evidence.Sources.Count)
                {
                    _checks.Warn(AuditCheckNames.FetchComplete, "incomplete answers from " + string.Join("; ", incomplete.Select(s => $"{s.Source}: {s.Error ?? "no EOSE"}")));
                }
                else
                {
                    _checks.Unverifiable(AuditCheckNames.FetchComplete, "no relay answered completely: " + string.Join("; ", incomplete.Select(s => $"{s.Source}: {s.Error ?? "no EOSE"}")));
                }

                SourceReport[] dropped = evidence.Sources.Where(s => s.DroppedInvalid + s.DroppedUnmatched > 0).ToArray();
                if (dropped.Length == 0)
                {
                    _checks.Pass(AuditCheckNames.FetchFilterMatch, "every event received verified and matched the filter that asked for it");
                }
                else
                {
                    _checks.Warn(
                        AuditCheckNames.FetchFilterMatch,
                        "dropped, never used: " + string.Join("; ", dropped.Select(s => $"{s.Source} sent {s.DroppedInvalid} event(s) failing verification and {s.DroppedUnmatched} not matching the filter")));
                }
            }

            if (evidence.ParseFailures.Count == 0)
            {
                _checks.Pass(AuditCheckNames.EventParse, "every event parsed strictly");
            }
            else
            {
                EventParseFailure first = evidence.ParseFailures[0];
                _checks.Fail(
                    AuditCheckNames.EventParse,
                    $"{evidence.ParseFailures.Count} line(s) are not well-formed events; first {first.Location}: {first.Reason}",
                    Cap(evidence.ParseFailures.Select(f => f.Location)));
            }
        }

        private List<NostrEvent> VerifySignatures(out int invalidSessions)
        {
            IReadOnlyList<EventCheck>? known = evidence.Checks is { } c && c.Count == evidence.Events.Count ? c : null;
            var relevantList = new List<NostrEvent>(evidence.Events.Count);
            var knownResults = known is null ? null : new List<EventCheck>(evidence.Events.Count);
            var belongs = new bool[evidence.Events.Count];
            Parallel.For(0, belongs.Length, new ParallelOptions { MaxDegreeOfParallelism = Parallelism() }, k => belongs[k] = Belongs(evidence.Events[k]));
            for (int k = 0; k < evidence.Events.Count; k++)
            {
                if (belongs[k])
                {
                    relevantList.Add(evidence.Events[k]);
                    knownResults?.Add(known![k]);
                }
            }

            NostrEvent[] relevant = relevantList.ToArray();
            var results = new EventCheck[relevant.Length];
            var parallel = new ParallelOptions { MaxDegreeOfParallelism = Parallelism() };
            if (evidence.PreVerified)
            {
                // The relay pool verified each of these on arrival, in this process, and dropped the rest.
                Array.Fill(results, EventCheck.Valid);
            }
            else if (knownResults is not null)
            {
                // The archive reader verified each of these in this process, from the id it computed while parsing.
                knownResults.CopyTo(results);
            }
            else
            {
                // One author signs nearly every event: its key is parsed once, not once per event.
                var keys = new EventVerifier.PublicKeyCache();
                Parallel.For(0, relevant.Length, parallel, i => results[i] = EventVerifier.Verify(relevant[i], keys));
            }

            var valid = new List<NostrEvent>(relevant.Length);
            var seen = new HashSet<string>(StringComparer.Ordinal);
            var invalid = new List<(NostrEvent Event, string Reason)>();
            invalidSessions = 0;
            for (int i = 0; i < relevant.Length; i++)
            {
                if (!results[i].IsValid)
                {
                    invalid.Add((relevant[i], results[i].Reason ?? "invalid"));
                    if (TrajectoryKinds.IsSession(relevant[i].Kind))
                    {
                        invalidSessions++;
                    }
                }
                else if (seen.Add(relevant[i].Id))
                {
                    // De-duplicated only now, after verification: a forged copy seen first cannot hide the real one.
                    valid.Add(relevant[i]);
                }
            }

            if (invalid.Count == 0)
            {
                _checks.Pass(
                    AuditCheckNames.EventSignature,
                    evidence.PreVerified
                        ? $"{relevant.Length} event(s): ids and BIP-340 signatures verified on arrival ({evidence.Sources.Sum(s => s.DroppedInvalid)} invalid ones dropped)"
                        : $"{relevant.Length} event(s): ids and BIP-340 signatures valid");
            }
            else
            {
                _checks.Fail(
                    AuditCheckNames.EventSignature,
                    $"{invalid.Count} of {relevant.Length} event(s) fail verification and were not used; first {invalid[0].Event.Id}: {invalid[0].Reason}",
                    Cap(invalid.Select(x => x.Event.Id)));
            }

            return valid;
        }

        private bool Belongs(NostrEvent e)
        {
            if (TrajectoryKinds.IsSession(e.Kind))
            {
                return e.PubKey == evidence.PubKey && e.DTag == evidence.Sid;
            }

            if (!TrajectoryKinds.IsStep(e.Kind))
            {
                return false;
            }

            foreach (Tag a in e.Tags.All("a"))
            {
                if (a.Value == _coordinate || a.Value == _legacyCoordinate)
                {
                    return true;
                }
            }

            return e.Tags.FindValue("session") == evidence.Sid || e.Tags.FindValue("session_id") == evidence.Sid;
        }

        private ParsedSessionContent? ParseSession(NostrEvent newest)
        {
            ParsedSessionContent content;
            try
            {
                content = SessionContentParser.Parse(newest.Content, newest.Id);
            }
            catch (FormatException ex)
            {
                _checks.Fail(AuditCheckNames.SessionContent, ex.Message, newest.Id);
                return null;
            }

            var problems = new List<string>();
            if (content.SessionId != evidence.Sid)
            {
                problems.Add($"content.session_id '{content.SessionId}' is not the d tag '{evidence.Sid}'");
            }

            if (newest.Tags.FindValue("started_at") is { } started && started != content.StartedAt.ToString(CultureInfo.InvariantCulture))
            {
                problems.Add($"content.started_at {content.StartedAt} differs from the started_at tag {started}");
            }

            string? endedTag = newest.Tags.FindValue("ended_at");
            if (endedTag != content.EndedAt?.ToString(CultureInfo.InvariantCulture))
            {
                problems.Add($"content.ended_at {content.EndedAt?.ToString(CultureInfo.InvariantCulture) ?? "(none)"} differs from the ended_at tag {endedTag ?? "(none)"}");
            }

            if (newest.Tags.FindValue("model") is { } model && model != content.Model)
            {
                problems.Add($"content.model '{content.Model}' differs from the model tag '{model}'");
            }

            _checks.Expect(problems.Count == 0, AuditCheckNames.SessionContent, "content is well formed and agrees with the tags", string.Join("; ", problems), newest.Id);
            return content;
        }

        private List<NostrEvent> ChooseSteps(List<NostrEvent> valid, HashSet<string> participants, out long offset, out List<long> rawSeqs)
        {
            // The agent's steps sorted by (seq, arrival) and cut into runs of equal seq: the same grouping a
            // sorted map of lists gives, without a node and a list per step.
            var own = new List<(long Seq, int Order, NostrEvent Event)>(valid.Count);
            var foreign = new List<(NostrEvent Event, long Seq)>();
            var unreadable = new List<string>();
            foreach (NostrEvent e in valid)
            {
                if (!TrajectoryKinds.IsStep(e.Kind))
                {
                    continue;
                }

                long? seq = SeqOf(e);
                if (seq is null)
                {
                    unreadable.Add(e.Id);
                    continue;
                }

                if (e.PubKey != evidence.PubKey && !participants.Contains(e.PubKey))
                {
                    foreign.Add((e, seq.Value));
                    continue;
                }

                own.Add((seq.Value, own.Count, e));
            }

            // An archive lists its steps in seq order: then the order by (seq, arrival) is already there.
            bool sorted = true;
            for (int i = 1; i < own.Count && sorted; i++)
            {
                sorted = own[i - 1].Seq <= own[i].Seq;
            }

            if (!sorted)
            {
                own.Sort(static (x, y) => x.Seq != y.Seq ? x.Seq.CompareTo(y.Seq) : x.Order.CompareTo(y.Order));
            }

            var keys = new List<long>();
            var runs = new List<(int Start, int Count)>();
            for (int i = 0; i < own.Count; i++)
            {
                if (i > 0 && own[i].Seq == own[i - 1].Seq)
                {
                    runs[^1] = (runs[^1].Start, runs[^1].Count + 1);
                }
                else
                {
                    keys.Add(own[i].Seq);
                    runs.Add((i, 1));
                }
            }

            IEnumerable<NostrEvent> Run(int k) => Enumerable.Range(runs[k].Start, runs[k].Count).Select(i => own[i].Event);

            if (unreadable.Count > 0)
            {
                _checks.Fail(AuditCheckNames.StepsContent, $"{unreadable.Count} step event(s) carry no readable seq (seq tag or d = sid:seq)", Cap(unreadable));
            }

            long shift = keys.Count > 0 && keys[0] == 0 ? 1 : 0;
            offset = shift;

            var stolen = foreign.Where(f => keys.BinarySearch(f.Seq) < 0).ToList();
            if (stolen.Count > 0)
            {
                _checks.Fail(
                    AuditCheckNames.EventAuthor,
                    $"seq {string.Join(", ", stolen.Select(f => f.Seq + shift).Distinct().Take(10))} exist(s) only as events signed by {stolen[0].Event.PubKey}, neither the agent nor a participant",
                    Cap(stolen.Select(f => f.Event.Id)));
            }
            else if (foreign.Count > 0)
            {
                _checks.Warn(
                    AuditCheckNames.EventAuthor,
                    $"{foreign.Count} step event(s) signed by other keys point at this session; ignored (the agent's own steps are present)",
                    Cap(foreign.Select(f => f.Event.Id)));
            }
            else
            {
                _checks.Pass(AuditCheckNames.EventAuthor, participants.Count == 0 ? "every step is signed by the agent key" : "every step is signed by the agent or a declared participant");
            }

            var equivocations = Enumerable.Range(0, runs.Count).Where(k => runs[k].Count > 1).ToList();
            if (equivocations.Count > 0)
            {
                _checks.Fail(
                    AuditCheckNames.StepsEquivocation,
                    $"{equivocations.Count} seq value(s) have several different signed events; first seq {keys[equivocations[0]] + shift}: {string.Join(" vs ", Run(equivocations[0]).Select(e => e.Id))}",
                    Cap(equivocations.SelectMany(k => Run(k).Select(e => e.Id))));
            }
            else
            {
                _checks.Pass(AuditCheckNames.StepsEquivocation, "one signed event per seq");
            }

            // Same rule as the reader: the first by time, then id.
            var chosen = new List<NostrEvent>(runs.Count);
            for (int k = 0; k < runs.Count; k++)
            {
                chosen.Add(runs[k].Count == 1 ? own[runs[k].Start].Event : Run(k).OrderBy(e => e.CreatedAt).ThenBy(e => e.Id, StringComparer.Ordinal).First());
            }

            rawSeqs = keys;
            return chosen;
        }

        private long? SeqOf(NostrEvent e)
        {
            string? text = e.Tags.FindValue("seq") ?? e.Tags.FindValue("sequence");
            if (text is null && e.DTag.StartsWith(evidence.Sid + ":", StringComparison.Ordinal))
            {
                text = e.DTag[(evidence.Sid.Length + 1)..];
            }

            return long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out long seq) && seq <= int.MaxValue ? seq : null;
        }

        /// <summary>Whether <paramref name="d"/> is exactly <c>&lt;sid&gt;:&lt;seq&gt;</c>, compared in place (one string per step otherwise).</summary>
        private bool IsStepDTag(string d, long seq)
        {
            string sid = evidence.Sid;
            Span<char> digits = stackalloc char[20];
            return d.Length > sid.Length
                && d[sid.Length] == ':'
                && d.StartsWith(sid, StringComparison.Ordinal)
                && seq.TryFormat(digits, out int written, default, CultureInfo.InvariantCulture)
                && d.AsSpan(sid.Length + 1).SequenceEqual(digits[..written]);
        }

        /// <summary>What the structural checks read from one step's own tags.</summary>
        private readonly record struct StepTagFacts(bool Legacy, bool BadD, bool BadA, string? Reply, string? Root);

        private void StructuralChecks(List<NostrEvent> chosen, List<long> rawSeqs, List<NostrEvent> versions, ParsedSessionContent? content, long offset)
        {
            // Each step's own tags are read on every core; the lists are then built in seq order.
            var facts = new StepTagFacts[chosen.Count];
            Parallel.For(0, chosen.Count, new ParallelOptions { MaxDegreeOfParallelism = Parallelism() }, i =>
            {
                NostrEvent e = chosen[i];
                bool legacyStep = e.Kind == TrajectoryKinds.LegacyStep;
                TagsNamed eTags = e.Tags.All("e");
                facts[i] = new StepTagFacts(
                    legacyStep,
                    !legacyStep && !IsStepDTag(e.DTag, rawSeqs[i]),
                    !legacyStep && !e.Tags.All("a").ContainsValue(_coordinate),
                    eTags.FirstWith(3, "reply")?.Value,
                    eTags.FirstWith(3, "root")?.Value);
            });

            var badD = new List<string>();
            var badA = new List<string>();
            var legacy = 0;
            var seqs = new List<long>(chosen.Count);
            for (int i = 0; i < chosen.Count; i++)
            {
                seqs.Add(rawSeqs[i] + offset);
                if (facts[i].Legacy)
                {
                    legacy++;
                    continue;
                }

                if (facts[i].BadD)
                {
                    badD.Add(chosen[i].Id);
                }

                if (facts[i].BadA)
                {
                    badA.Add(chosen[i].Id);
                }
            }

            _checks.Expect(badD.Count == 0, AuditCheckNames.StepsDTag, "every step's d is <sid>:<seq>", $"{badD.Count} step(s) lack d = <sid>:<seq> (standard relays would keep only one of them)", Cap(badD));
            _checks.Expect(badA.Count == 0, AuditCheckNames.StepsCoordinate, $"every step's a is {_coordinate}", $"{badA.Count} step(s) do not name the coordinate {_coordinate} in an a tag", Cap(badA));
            if (legacy > 0)
            {
                _checks.Note(AuditCheckNames.LegacyForm, $"legacy-kind: {legacy} step(s) use kind 38031; d and a are not required of them");
            }

            var missing = new List<long>();
            long expected = 1;
            foreach (long s in seqs)
            {
                for (; expected < s && missing.Count < 1000; expected++)
                {
                    missing.Add(expected);
                }

                expected = s + 1;
            }

            long declared = content?.TotalEvents ?? 0;
            for (; expected <= declared && missing.Count < 1000; expected++)
            {
                missing.Add(expected);
            }

            _checks.Expect(
                missing.Count == 0,
                AuditCheckNames.StepsContiguous,
                chosen.Count == 0 ? "no steps" : $"seq 1..{seqs[^1]} contiguous",
                $"missing seq {string.Join(", ", missing.Take(10))}{(missing.Count > 10 ? ", ..." : string.Empty)}",
                chosen.Count == 0 ? [] : [chosen[^1].Id]);

            NostrEvent newest = versions[^1];
            if (content is null)
            {
                _checks.Unverifiable(AuditCheckNames.StepsCount, "the session content could not be read", newest.Id);
            }
            else
            {
                _checks.Expect(
                    content.TotalEvents == chosen.Count,
                    AuditCheckNames.StepsCount,
                    $"{chosen.Count} step(s) == total_events",
                    $"{chosen.Count} step(s) at hand, the newest session version says total_events {content.TotalEvents}",
                    newest.Id);
            }

            var broken = new List<string>();
            for (int i = 0; i < chosen.Count; i++)
            {
                if (seqs[i] < 2)
                {
                    continue;
                }

                string? reply = facts[i].Reply;
                if (i > 0 && seqs[i - 1] == seqs[i] - 1)
                {
                    if (reply != chosen[i - 1].Id)
                    {
                        broken.Add(chosen[i].Id);
                    }
                }
            }

            _checks.Expect(
                broken.Count == 0,
                AuditCheckNames.StepsReplyChain,
                "every step from seq 2 replies to the step before it",
                $"{broken.Count} step(s) do not reply to the previous step's id; first {broken.FirstOrDefault()}",
                Cap(broken));

            string?[] roots = facts.Where(f => !f.Legacy).Select(f => f.Root).Distinct().ToArray();
            if (roots.Length == 0)
            {
                _checks.Pass(AuditCheckNames.StepsRoot, "no steps");
            }
            else if (roots.Length > 1 || roots[0] is null)
            {
                _checks.Fail(AuditCheckNames.StepsRoot, $"steps name {roots.Length} different root session ids ({string.Join(", ", roots.Select(r => r ?? "none"))})", Cap(chosen.Select(e => e.Id)));
            }
            else if (versions.Any(v => v.Id == roots[0]))
            {
                _checks.Pass(AuditCheckNames.StepsRoot, $"every step's root is session version {roots[0]}", roots[0]!);
            }
            else
            {
                _checks.Note(AuditCheckNames.StepsRoot, $"every step names root {roots[0]}, a version not at hand (relays keep only the newest)", roots[0]!);
            }
        }

        private void Together(params Action[] actions)
        {
            try
            {
                Parallel.Invoke(new ParallelOptions { MaxDegreeOfParallelism = Parallelism() }, actions);
            }
            catch (AggregateException ex) when (ex.InnerExceptions.Count == 1)
            {
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(ex.InnerExceptions[0]);
            }
        }

        private int Parallelism() => options.MaxDegreeOfParallelism > 0 ? options.MaxDegreeOfParallelism : Environment.ProcessorCount;

        private (TrajectoryReadResult? Read, TrajectoryFormatException? Error) ReadSteps(NostrEvent newest, List<NostrEvent> chosen)
        {
            try
            {
                return (TrajectoryEventReader.Read([newest, .. chosen], evidence.Sid), null);
            }
            catch (TrajectoryFormatException ex)
            {
                return (null, ex);
            }
        }

        private TrajectoryReadResult? ReadModel(List<NostrEvent> chosen, TrajectoryReadResult? result, TrajectoryFormatException? error)
        {
            if (result is not { } read)
            {
                _checks.Fail(AuditCheckNames.StepsContent, error!.Message);
                return null;
            }

            if (_checks.Find(AuditCheckNames.StepsContent) is null)
            {
                _checks.Pass(AuditCheckNames.StepsContent, $"{chosen.Count} step content(s) read as profile §3 step objects");
            }

            foreach (IGrouping<string, TrajectoryNote> group in read.Notes.GroupBy(n => n.Code))
            {
                TrajectoryNote first = group.First();
                _checks.Note(
                    AuditCheckNames.LegacyForm,
                    $"{group.Key}: {first.Message}{(group.Count() > 1 ? $" (and {group.Count() - 1} more)" : string.Empty)}",
                    Cap(group.Select(n => n.Location?.Replace("event ", string.Empty, StringComparison.Ordinal)).OfType<string>()));
            }

            return read;
        }

        private void AppendOnly(List<NostrEvent> versions, int stepCount, MerkleTree? tree, bool contiguous)
        {
            if (versions.Count == 1)
            {
                _checks.Pass(AuditCheckNames.SessionAppendOnly, "one session version at hand (relays keep only the newest); nothing to compare", versions[0].Id);
                return;
            }

            var problems = new List<string>();
            var evidenceIds = new List<string>();
            var unverified = new List<string>();
            (string Root, long Size)? previous = null;
            NostrEvent? previousEvent = null;
            foreach (NostrEvent v in versions)
            {
                (string Root, long Size)? commit = MerkleTag(v);
                long size = commit?.Size ?? 0;
                if (previous is { } p && size < p.Size)
                {
                    problems.Add($"version {v.Id} commits to {size} steps after version {previousEvent!.Id} committed to {p.Size}: steps were removed");
                    evidenceIds.Add(previousEvent.Id);
                    evidenceIds.Add(v.Id);
                }

                if (commit is { } c && c.Size > 0)
                {
                    if (tree is not null && c.Size <= stepCount)
                    {
                        if (!string.Equals(Convert.ToHexStringLower(tree.RootAt((int)c.Size)), c.Root, StringComparison.Ordinal))
                        {
                            problems.Add($"version {v.Id} commits to merkle_root {c.Root} over {c.Size} steps, which is not the first {c.Size} steps at hand: history was rewritten");
                            evidenceIds.Add(v.Id);
                        }
                    }
                    else
                    {
                        unverified.Add(v.Id);
                    }
                }

                previous = commit ?? previous;
                previousEvent = commit is null ? previousEvent : v;
            }

            if (problems.Count > 0)
            {
                _checks.Fail(AuditCheckNames.SessionAppendOnly, string.Join("; ", problems), Cap(evidenceIds.Distinct()));
            }
            else if (unverified.Count > 0)
            {
                _checks.Unverifiable(
                    AuditCheckNames.SessionAppendOnly,
                    contiguous ? $"{unverified.Count} version(s) commit to more steps than are at hand" : "steps are missing, so earlier versions' roots cannot be recomputed",
                    Cap(unverified));
            }
            else
            {
                _checks.Pass(AuditCheckNames.SessionAppendOnly, $"{versions.Count} versions: each merkle_root is a prefix of the next (append-only)", Ids(versions));
            }
        }

        private static (string Root, long Size)? MerkleTag(NostrEvent v)
        {
            Tag? t = v.Tags.Find("merkle_root");
            if (t is null || t.Count < 2)
            {
                return null;
            }

            long size = t.Count >= 3 && long.TryParse(t[2], NumberStyles.None, CultureInfo.InvariantCulture, out long n) ? n : -1;
            return (t[1], size);
        }

        private void AuditTags(TrajectoryReadResult read)
        {
            var problems = new List<string>();
            var ids = new List<string>();
            int tools = 0;
            int verifications = 0;

            // Each step's tags are checked against its own content alone (normalising the input and hashing
            // it and the output): on every core, then reported in seq order.
            var found = new string?[read.StepEvents.Count];
            Parallel.For(0, found.Length, new ParallelOptions { MaxDegreeOfParallelism = Parallelism() }, i => found[i] = read.Trajectory.Steps[i] switch
            {
                ToolStep tool => ToolTags(read.StepEvents[i], tool),
                VerificationStep v => VerificationTags(read.StepEvents[i], v),
                _ => null,
            });
            for (int i = 0; i < read.StepEvents.Count; i++)
            {
                NostrEvent e = read.StepEvents[i];
                Step step = read.Trajectory.Steps[i];
                string? problem = found[i];
                switch (step)
                {
                    case ToolStep:
                        tools++;
                        break;
                    case VerificationStep:
                        verifications++;
                        break;
                }

                if (problem is not null)
                {
                    problems.Add($"seq {step.Seq}: {problem}");
                    ids.Add(e.Id);
                }
            }

            _checks.Expect(
                problems.Count == 0,
                AuditCheckNames.StepsAuditTags,
                $"audit tags of {tools} tool and {verifications} verification step(s) equal the hashes of their content",
                $"{problems.Count} step(s) carry audit tags that do not match their content; first {problems.FirstOrDefault()}",
                Cap(ids));
        }

        private static string? ToolTags(NostrEvent e, ToolStep tool)
        {
            if (e.Kind == TrajectoryKinds.LegacyStep && e.Tags.Find("action_type") is null)
            {
                return null;
            }

            if (e.Tags.FindValue("action_type") != "tool_invocation")
            {
                return "action_type is not tool_invocation";
            }

            if (e.Tags.FindValue("tool_invoked") != tool.Name)
            {
                return $"tool_invoked '{e.Tags.FindValue("tool_invoked")}' is not the content's name '{tool.Name}'";
            }

            string inputHash;
            try
            {
                inputHash = Sha256.HexOfUtf8(CompactJson.Normalize(tool.InputJson, "input"));
            }
            catch (FormatException ex)
            {
                return "input is not JSON: " + ex.Message;
            }

            if (e.Tags.FindValue("input_hash") != inputHash)
            {
                return $"input_hash {e.Tags.FindValue("input_hash") ?? "(none)"} is not SHA-256 of the input {inputHash}";
            }

            if (!tool.OutputTruncated && tool.OutputSha256 is not null)
            {
                return $"content output_sha256 {tool.OutputSha256} does not hash the output, which is not marked truncated";
            }

            string outputHash = tool.OutputSha256 ?? Sha256.HexOfUtf8(tool.Output);
            if (e.Tags.FindValue("output_hash") != outputHash)
            {
                return $"output_hash {e.Tags.FindValue("output_hash") ?? "(none)"} is not the output's hash {outputHash}";
            }

            return null;
        }

        private static string? VerificationTags(NostrEvent e, VerificationStep v)
        {
            if (e.Kind == TrajectoryKinds.LegacyStep && e.Tags.Find("action_type") is null)
            {
                return null;
            }

            if (e.Tags.FindValue("action_type") != "verification")
            {
                return "action_type is not verification";
            }

            string? tag = e.Tags.FindValue("verification");
            return tag == v.StatementSha256Hex
                ? null
                : $"verification tag {tag ?? "(none)"} is not the content's statement_sha256 {v.StatementSha256Hex ?? "(none)"}";
        }

        private void CheckTrajectoryHash(NostrEvent newest, ParsedSessionContent? content, string? computed, int count)
        {
            string? tag = newest.Tags.FindValue("trajectory_hash") is { } t ? TrajectoryHash.Normalize(t) : null;
            string? inContent = content?.TrajectoryHash is { } c ? TrajectoryHash.Normalize(c) : null;
            bool final = newest.Tags.FindValue("ended_at") is not null;
            if (tag is null && inContent is null)
            {
                if (final && count > 0)
                {
                    _checks.Fail(AuditCheckNames.TrajectoryHash, "the final session version commits to no trajectory_hash", newest.Id);
                }
                else
                {
                    _checks.Note(AuditCheckNames.TrajectoryHash, count == 0 ? "empty trajectory: no hash" : "the session has not ended: no trajectory_hash committed yet", newest.Id);
                }

                return;
            }

            if (tag is not null && inContent is not null && tag != inContent)
            {
                _checks.Fail(AuditCheckNames.TrajectoryHash, $"trajectory_hash tag {tag} differs from content.trajectory_hash {inContent}", newest.Id);
                return;
            }

            string claimed = tag ?? inContent!;
            _checks.Expect(
                claimed == computed,
                AuditCheckNames.TrajectoryHash,
                $"trajectory_hash {computed} recomputed over {count} step content(s)",
                $"session states trajectory_hash {claimed}; recomputed over the {count} step(s) at hand: {computed ?? "(none)"}",
                newest.Id);
        }

        private void CheckMerkleRoot(NostrEvent newest, ParsedSessionContent? content, MerkleTree? tree, int count, bool contiguous)
        {
            (string Root, long Size)? tag = MerkleTag(newest);
            string? inContent = content?.MerkleRoot;
            if (tag is null && inContent is null)
            {
                _checks.Expect(count == 0, AuditCheckNames.MerkleRoot, "empty trajectory: no merkle_root", $"the session commits to no merkle_root over its {count} step(s)", newest.Id);
                return;
            }

            if (tag is { } t && inContent is not null && t.Root != inContent)
            {
                _checks.Fail(AuditCheckNames.MerkleRoot, $"merkle_root tag {t.Root} differs from content.merkle_root {inContent}", newest.Id);
                return;
            }

            string claimed = tag?.Root ?? inContent!;
            long size = tag?.Size ?? count;
            if (!contiguous || tree is null)
            {
                _checks.Fail(AuditCheckNames.MerkleRoot, $"session states merkle_root {claimed} over {size} step(s); the steps at hand have gaps, so it cannot be reproduced", newest.Id);
                return;
            }

            _checks.Expect(
                claimed == tree.RootHex && size == count,
                AuditCheckNames.MerkleRoot,
                $"merkle_root {tree.RootHex} recomputed over {count} step id(s)",
                $"session states merkle_root {claimed} over {size} step(s); recomputed {tree.RootHex} over {count}",
                newest.Id);
        }

        private (bool? Passed, string? Digest) CheckVerification(NostrEvent newest, ParsedSessionContent? content, TrajectoryReadResult read)
        {
            VerificationStep[] runs = read.Trajectory.Verifications.ToArray();
            string? digest = runs.Length == 0 ? null : VerificationDigest.Compute(runs.Select(v => v.StatementSha256Hex).OfType<string>());
            VerdictOf verdict = VerdictOf.Compute(runs.Select(v => new VerificationRecord(WireNames.Of(v.Kind), v.Succeeded)));
            bool? passed = runs.Length == 0 ? null : verdict.Passed;
            string[] runIds = read.StepEvents.Where((_, i) => read.Trajectory.Steps[i] is VerificationStep).Select(e => e.Id).ToArray();
            if (content is null)
            {
                _checks.Unverifiable(AuditCheckNames.VerificationDigest, "the session content could not be read", newest.Id);
                _checks.Unverifiable(AuditCheckNames.VerificationVerdict, "the session content could not be read", newest.Id);
                return (passed, digest);
            }

            SessionVerification? stated = content.Verification;
            if (stated is null && runs.Length == 0)
            {
                _checks.Pass(AuditCheckNames.VerificationDigest, "no verification runs recorded or claimed", newest.Id);
                _checks.Pass(AuditCheckNames.VerificationVerdict, "no verification runs recorded or claimed", newest.Id);
                return (passed, digest);
            }

            if (stated is null)
            {
                _checks.Fail(AuditCheckNames.VerificationDigest, $"the session omits its verification summary over {runs.Length} recorded run(s)", [newest.Id, .. Cap(runIds)]);
                _checks.Fail(AuditCheckNames.VerificationVerdict, $"the session omits the verdict of {runs.Length} recorded run(s) (recomputed: {(verdict.Passed ? "passed" : "failed")})", [newest.Id, .. Cap(runIds)]);
                return (passed, digest);
            }

            _checks.Expect(
                stated.Sha256 == (digest ?? VerificationDigest.Empty),
                AuditCheckNames.VerificationDigest,
                $"verification digest {stated.Sha256} recomputed over {runs.Length} statement hash(es)",
                $"session states verification sha256 {stated.Sha256}; recomputed {digest ?? "(no runs)"}",
                [newest.Id, .. Cap(runIds)]);

            var problems = new List<string>();
            if (stated.Passed != verdict.Passed)
            {
                problems.Add($"session claims passed = {(stated.Passed ? "true" : "false")}, but the recorded runs {(verdict.Passed ? "passed" : "failed")} ({string.Join(", ", verdict.LastByKind.Select(kv => $"last {kv.Key} {(kv.Value ? "passed" : "failed")}"))})");
            }

            if (stated.Runs != verdict.Runs || stated.FailedRuns != verdict.FailedRuns)
            {
                problems.Add($"session states {stated.Runs} run(s), {stated.FailedRuns} failed; recorded {verdict.Runs}, {verdict.FailedRuns} failed");
            }

            _checks.Expect(
                problems.Count == 0,
                AuditCheckNames.VerificationVerdict,
                $"verification {(verdict.Passed ? "passed" : "failed")} follows from {verdict.Runs} recorded run(s)",
                string.Join("; ", problems),
                [newest.Id, .. Cap(runIds)]);
            return (passed, digest);
        }

        private void CheckUsage(NostrEvent newest, ParsedSessionContent? content, TrajectoryReadResult read)
        {
            if (content is null)
            {
                _checks.Unverifiable(AuditCheckNames.Usage, "the session content could not be read", newest.Id);
                return;
            }

            Usage? recomputed = read.Trajectory.TotalUsage;
            Usage? stated = content.Usage;
            if (recomputed is null && stated is null)
            {
                _checks.Pass(AuditCheckNames.Usage, "no usage recorded or claimed", newest.Id);
                return;
            }

            _checks.Expect(
                recomputed is not null && stated is not null && recomputed == stated,
                AuditCheckNames.Usage,
                $"usage sums match: {Describe(recomputed)}",
                $"session states usage {Describe(stated)}; the agent steps sum to {Describe(recomputed)}",
                newest.Id);
        }

        private static string Describe(Usage? u) => u is null
            ? "(none)"
            : string.Create(CultureInfo.InvariantCulture, $"{u.TokensIn} in, {u.TokensOut} out, {u.TokensCached} cached, ${u.CostUsd}");

        private void CheckReward(NostrEvent newest, ParsedSessionContent? content, TrajectoryReadResult read)
        {
            if (content is null)
            {
                return;
            }

            Reward? latest = read.Trajectory.LatestReward;
            string? signal = latest is null ? null : WireNames.Of(latest.Signal);
            bool same = signal == content.RewardSignal && (latest is null || content.RewardValue is double v && Math.Abs(v - latest.Value) < 1e-12);
            _checks.Expect(
                same,
                AuditCheckNames.Reward,
                latest is null ? "no reward recorded or claimed" : $"reward {signal} {latest.Value.ToString(CultureInfo.InvariantCulture)} is the latest reward step's",
                $"session states reward {content.RewardSignal ?? "(none)"} {content.RewardValue?.ToString(CultureInfo.InvariantCulture)}; the latest reward step says {signal ?? "(none)"} {latest?.Value.ToString(CultureInfo.InvariantCulture)}",
                newest.Id);
        }

        private void Timestamps(NostrEvent newest, List<NostrEvent> versions, List<NostrEvent> chosen, List<long> rawSeqs)
        {
            long tolerance = (long)options.TimestampTolerance.TotalSeconds;
            long started = long.TryParse(newest.Tags.FindValue("started_at"), NumberStyles.None, CultureInfo.InvariantCulture, out long s) ? s : versions[0].CreatedAt;
            long? ended = long.TryParse(newest.Tags.FindValue("ended_at"), NumberStyles.None, CultureInfo.InvariantCulture, out long en) ? en : null;
            var issues = new List<string>();
            var ids = new List<string>();
            long previous = long.MinValue;
            for (int i = 0; i < chosen.Count; i++)
            {
                NostrEvent e = chosen[i];
                string? issue = null;
                if (e.CreatedAt < started - tolerance)
                {
                    issue = $"created_at {e.CreatedAt} is before started_at {started}";
                }
                else if (ended is long end && e.CreatedAt > end + tolerance)
                {
                    issue = $"created_at {e.CreatedAt} is after ended_at {end}";
                }
                else if (e.CreatedAt < previous)
                {
                    issue = $"created_at {e.CreatedAt} goes back from {previous}";
                }
                else if (e.CreatedAt > now + tolerance)
                {
                    issue = $"created_at {e.CreatedAt} is in the future";
                }

                if (issue is not null)
                {
                    issues.Add($"seq {rawSeqs[i]}: {issue}");
                    ids.Add(e.Id);
                }

                previous = Math.Max(previous, e.CreatedAt);
            }

            foreach (NostrEvent v in versions.Where(v => v.CreatedAt > now + tolerance))
            {
                issues.Add($"session version {v.Id} is dated in the future");
                ids.Add(v.Id);
            }

            if (issues.Count == 0)
            {
                _checks.Pass(AuditCheckNames.Timestamps, "steps are in time order within started_at..ended_at and not in the future");
            }
            else
            {
                _checks.Warn(AuditCheckNames.Timestamps, $"{issues.Count} clock-skew issue(s); first {issues[0]}", Cap(ids));
            }
        }

        private void ArchiveChecks(TrajectoryReadResult read)
        {
            ToolStep[] truncated = read.Trajectory.Steps.OfType<ToolStep>().Where(t => t.OutputTruncated).ToArray();
            VerificationStep[] statements = read.Trajectory.Verifications.Where(v => v.StatementSha256Hex is not null).ToArray();
            string? dir = evidence.ArtifactsDirectory;
            if (dir is null)
            {
                if (truncated.Length > 0)
                {
                    _checks.Note(AuditCheckNames.ArchiveOutputs, $"{truncated.Length} tool output(s) are published as previews; their full text is not at hand (use --offline with the archive)");
                }

                if (statements.Length > 0)
                {
                    _checks.Note(AuditCheckNames.ArchiveStatements, $"{statements.Length} in-toto statement(s) are committed by hash; the bytes are not at hand (use --offline with the archive)");
                }

                return;
            }

            // The expected hash is a function: hashing every output is wasted when its file is absent.
            CompareFiles(
                AuditCheckNames.ArchiveOutputs,
                "full output",
                Path.Combine(dir, "outputs"),
                read.Trajectory.Steps.OfType<ToolStep>().Select(t => (t.Seq, Seq(t.Seq) + ".txt", (Func<string>)(() => t.OutputSha256 ?? Sha256.HexOfUtf8(t.Output)), t.OutputTruncated)),
                read);
            CompareFiles(
                AuditCheckNames.ArchiveStatements,
                "in-toto statement",
                Path.Combine(dir, "statements"),
                statements.Select(v => (v.Seq, Seq(v.Seq) + ".intoto.json", (Func<string>)(() => v.StatementSha256Hex!), true)),
                read);
        }

        private void CompareFiles(string name, string what, string folder, IEnumerable<(int Seq, string FileName, Func<string> Expected, bool Needed)> files, TrajectoryReadResult read)
        {
            int matched = 0;
            var missing = new List<int>();
            var wrong = new List<(int Seq, string Actual, string Expected)>();

            // One listing instead of a File.Exists per step: most steps have no archived file.
            var present = Directory.Exists(folder)
                ? Directory.EnumerateFiles(folder).Select(Path.GetFileName).OfType<string>().ToHashSet(StringComparer.OrdinalIgnoreCase)
                : [];
            foreach ((int seq, string fileName, Func<string> expectedOf, bool needed) in files)
            {
                string path = Path.Combine(folder, fileName);
                if (!present.Contains(fileName) || !File.Exists(path))
                {
                    if (needed)
                    {
                        missing.Add(seq);
                    }

                    continue;
                }

                string actual;
                using (FileStream f = File.OpenRead(path))
                {
                    actual = Convert.ToHexStringLower(SHA256.HashData(f));
                }

                string expected = expectedOf();

                if (actual == expected)
                {
                    matched++;
                }
                else
                {
                    wrong.Add((seq, actual, expected));
                }
            }

            string EventOf(int seq) => read.StepEvents[seq - 1].Id;
            if (wrong.Count > 0)
            {
                (int seq, string actual, string expected) = wrong[0];
                _checks.Fail(name, $"{wrong.Count} archived {what}(s) do not match the step's hash; first seq {seq}: file hashes to {actual}, step commits to {expected}", Cap(wrong.Select(w => EventOf(w.Seq))));
            }
            else if (missing.Count > 0)
            {
                _checks.Unverifiable(name, $"{missing.Count} {what}(s) are not in the archive (first seq {missing[0]}); {matched} checked", Cap(missing.Select(EventOf)));
            }
            else if (matched > 0)
            {
                _checks.Pass(name, $"{matched} archived {what}(s) hash to the values the steps commit to");
            }
        }

        private static string Seq(int seq) => seq.ToString("D6", CultureInfo.InvariantCulture);

        private string[] Cap(IEnumerable<string> ids) => ids.Take(options.MaxEvidenceIds).ToArray();

        private string[] Ids(IEnumerable<NostrEvent> events) => Cap(events.Select(e => e.Id));
    }
}
