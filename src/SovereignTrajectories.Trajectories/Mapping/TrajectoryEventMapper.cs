using SovereignTrajectories.Nostr.Crypto;
using SovereignTrajectories.Nostr.Events;
using SovereignTrajectories.Nostr.Keys;
using SovereignTrajectories.Trajectories.Commitments;
using SovereignTrajectories.Trajectories.Json;
using SovereignTrajectories.Trajectories.Model;
using SovereignTrajectories.Trajectories.Verification;

namespace SovereignTrajectories.Trajectories.Mapping;

/// <summary>
/// Maps a trajectory to signed kind 39230/39231 events exactly as the profile (§2-3) says: an
/// opening session version, one step event per step (unique <c>d</c>, <c>a</c> coordinate,
/// <c>e</c> root and reply chain, audit tags), optional checkpoint versions and a final version
/// carrying <c>trajectory_hash</c> and <c>merkle_root</c>. Redaction is not done here: map the
/// output of <see cref="TrajectoryPublisherPipeline"/> (or redact first yourself).
/// </summary>
public sealed class TrajectoryEventMapper
{
    private static readonly string ZeroId = new('0', 64);
    private static readonly string ZeroSig = new('0', 128);

    private readonly TrajectoryMapperOptions _options;
    private readonly TimeProvider _time;

    public TrajectoryEventMapper(TrajectoryMapperOptions? options = null, TimeProvider? timeProvider = null)
    {
        _options = options ?? new TrajectoryMapperOptions();
        _options.Validate();
        _time = timeProvider ?? TimeProvider.System;
    }

    /// <summary>Maps and signs the whole trajectory: opening, steps, checkpoints, and the final version when the run has ended (else a last checkpoint).</summary>
    public MappedTrajectory Map(Trajectory trajectory, SecretKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return Map(trajectory, key.PublicKey.Hex, u => EventSigner.Sign(u, key));
    }

    /// <summary>
    /// Appends <paramref name="newSteps"/> after what <paramref name="state"/> records and
    /// publishes a new session version (final when the run has ended or <paramref name="endedAt"/>
    /// is given). Nothing already published changes: the opening id and the reply chain continue.
    /// </summary>
    public MappedTrajectory Append(PublishedState state, IEnumerable<Step> newSteps, SecretKey key, DateTimeOffset? endedAt = null)
    {
        ArgumentNullException.ThrowIfNull(key);
        return Append(state, newSteps, key.PublicKey.Hex, u => EventSigner.Sign(u, key), endedAt);
    }

    /// <summary>Maps with any signer (a remote signer, a test double) that signs as <paramref name="pubKeyHex"/>.</summary>
    public MappedTrajectory Map(Trajectory trajectory, string pubKeyHex, Func<UnsignedEvent, NostrEvent> sign)
    {
        ArgumentNullException.ThrowIfNull(trajectory);
        ArgumentException.ThrowIfNullOrEmpty(pubKeyHex);
        ArgumentNullException.ThrowIfNull(sign);

        SessionInfo session = trajectory.Session;
        long openingAt = Math.Max(0, session.StartedAt.ToUnixTimeSeconds());
        var run = new Run(this, pubKeyHex, sign, session with { EndedAt = null }, [], string.Empty, [], [], openingAt, openingAt);

        NostrEvent opening = run.PublishSession(final: false, minimumCreatedAt: openingAt, isOpening: true);
        run.OpeningId = opening.Id;
        run.AddSteps(trajectory.Steps, useClockWhenMissing: false, versionFollows: session.IsComplete);
        if (session.IsComplete)
        {
            run.Session = session;
            run.PublishSession(final: true, minimumCreatedAt: session.EndedAt!.Value.ToUnixTimeSeconds(), isOpening: false);
        }
        else if (trajectory.Steps.Count > 0 && (_options.CheckpointEvery == 0 || trajectory.Steps.Count % _options.CheckpointEvery != 0))
        {
            run.PublishSession(final: false, minimumCreatedAt: 0, isOpening: false);
        }

        return run.Result(trajectory);
    }

    /// <summary>Appends with any signer that signs as <paramref name="pubKeyHex"/>.</summary>
    public MappedTrajectory Append(PublishedState state, IEnumerable<Step> newSteps, string pubKeyHex, Func<UnsignedEvent, NostrEvent> sign, DateTimeOffset? endedAt = null)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(newSteps);
        ArgumentNullException.ThrowIfNull(sign);
        if (!string.Equals(pubKeyHex, state.PubKey, StringComparison.Ordinal))
        {
            throw new TrajectoryMappingException($"cannot append to session '{state.Sid}': it was published by {state.PubKey}, not {pubKeyHex}");
        }

        var run = new Run(
            this, pubKeyHex, sign, state.Trajectory.Session, [.. state.Trajectory.Steps], state.OpeningId,
            [.. state.StepIds], [.. state.StepContents], state.LastSessionCreatedAt, state.LastStepCreatedAt);
        run.AddSteps(Trajectory.Create(state.Trajectory.Session, newSteps).Steps, useClockWhenMissing: true, versionFollows: true);
        if (endedAt is not null)
        {
            run.Session = run.Session with { EndedAt = endedAt };
        }

        long minimum = run.Session.EndedAt?.ToUnixTimeSeconds() ?? 0;
        run.PublishSession(final: run.Session.IsComplete, minimumCreatedAt: minimum, isOpening: false);
        return run.Result(state.Trajectory);
    }

    /// <summary>The unsigned session version for the trajectory so far (exposed for checks and tests).</summary>
    public UnsignedEvent BuildSessionEvent(Trajectory soFar, IReadOnlyList<string> stepIds, IReadOnlyList<string> stepContents, bool final, long createdAt)
    {
        ArgumentNullException.ThrowIfNull(soFar);
        SessionInfo s = soFar.Session;
        long startedAt = s.StartedAt.ToUnixTimeSeconds();
        long? endedAt = final ? s.EndedAt?.ToUnixTimeSeconds() ?? createdAt : null;
        int n = stepIds.Count;
        string? merkleRoot = n >= 1 ? MerkleTree.FromEventIds(stepIds).RootHex : null;
        string? trajectoryHash = final ? TrajectoryHash.Compute(stepContents) : null;

        var tags = new List<Tag>(12 + s.Participants.Count)
        {
            new("d", s.Sid),
            new("started_at", startedAt.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            new("model", s.Model),
            new("visibility", WireNames.Of(s.Visibility)),
        };
        if (endedAt is not null)
        {
            tags.Add(new Tag("ended_at", endedAt.Value.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        }

        if (s.Tick is not null)
        {
            tags.Add(new Tag("tick", s.Tick));
        }

        foreach (string p in s.Participants)
        {
            tags.Add(new Tag("p", p));
        }

        if (s.Repo is not null)
        {
            tags.Add(new Tag("repo", s.Repo));
        }

        if (s.Sha is not null)
        {
            tags.Add(new Tag("sha", s.Sha));
        }

        if (trajectoryHash is not null)
        {
            tags.Add(new Tag("trajectory_hash", trajectoryHash));
        }

        if (merkleRoot is not null)
        {
            tags.Add(new Tag("merkle_root", merkleRoot, n.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        }

        tags.Add(new Tag("alt", $"Agent trajectory session {s.Sid}"));

        string content = SessionContentWriter.Write(new SessionContent(s.Sid, startedAt, s.Model, n)
        {
            EndedAt = endedAt,
            TrajectoryHash = trajectoryHash,
            MerkleRoot = merkleRoot,
            Verification = Summarise(soFar.Verifications),
            Reward = soFar.LatestReward,
            Usage = soFar.TotalUsage,
        });
        return new UnsignedEvent(createdAt, TrajectoryKinds.Session, new TagList(tags), content);
    }

    private static SessionVerification? Summarise(IEnumerable<VerificationStep> steps)
    {
        VerificationStep[] all = steps.ToArray();
        if (all.Length == 0)
        {
            return null;
        }

        VerificationVerdict verdict = VerificationVerdict.Compute(
            all.Select(v => new VerificationRecord(WireNames.Of(v.Kind), v.Succeeded)));
        string digest = VerificationDigest.Compute(all.Select(v => v.StatementSha256Hex).OfType<string>());
        return new SessionVerification(verdict.Passed, verdict.Runs, verdict.FailedRuns, digest);
    }

    private List<Tag> StepTags(string pubKey, string sid, int seq, string openingId, string? previousId, string? tick, Step step, string? inputHash, string? outputHash)
    {
        string hint = _options.RelayHint;
        string seqText = seq.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var tags = new List<Tag>(10)
        {
            new("d", sid + ":" + seqText),
            new("a", TrajectoryKinds.Coordinate(pubKey, sid), hint),
            new("session", sid),
            new("seq", seqText),
            new("e", openingId, hint, "root"),
        };
        if (previousId is not null)
        {
            tags.Add(new Tag("e", previousId, hint, "reply"));
        }

        if (tick is not null)
        {
            tags.Add(new Tag("tick", tick));
        }

        switch (step)
        {
            case ToolStep tool:
                tags.Add(new Tag("action_type", "tool_invocation"));
                tags.Add(new Tag("tool_invoked", tool.Name));
                tags.Add(new Tag("input_hash", inputHash!));
                tags.Add(new Tag("output_hash", outputHash!));
                break;
            case VerificationStep verification:
                tags.Add(new Tag("action_type", "verification"));
                if (verification.StatementSha256Hex is { } sha)
                {
                    tags.Add(new Tag("verification", sha));
                }

                break;
        }

        return tags;
    }

    /// <summary>The mutable progress of one mapping: ids, contents and clocks so far.</summary>
    private sealed class Run(
        TrajectoryEventMapper mapper,
        string pubKey,
        Func<UnsignedEvent, NostrEvent> sign,
        SessionInfo session,
        List<Step> steps,
        string openingId,
        List<string> stepIds,
        List<string> stepContents,
        long lastSessionAt,
        long lastStepAt)
    {
        private readonly List<NostrEvent> _events = [];
        private readonly List<NostrEvent> _stepEvents = [];
        private readonly List<NostrEvent> _sessions = [];
        private readonly Dictionary<int, string> _fullOutputs = [];

        public SessionInfo Session { get; set; } = session;

        public string OpeningId { get; set; } = openingId;

        private Trajectory SoFar => new(Session, ValueList.From(steps));

        public NostrEvent PublishSession(bool final, long minimumCreatedAt, bool isOpening)
        {
            long createdAt = Math.Max(minimumCreatedAt, lastStepAt);

            // Each version must be newer than the last, or NIP-01's same-second tie-break may keep the old one.
            createdAt = isOpening ? Math.Max(createdAt, lastSessionAt) : Math.Max(createdAt, lastSessionAt + 1);
            UnsignedEvent unsigned = mapper.BuildSessionEvent(SoFar, stepIds, stepContents, final, createdAt);
            NostrEvent signed = SignChecked(unsigned);
            lastSessionAt = createdAt;
            _sessions.Add(signed);
            _events.Add(signed);
            return signed;
        }

        public void AddSteps(IReadOnlyList<Step> newSteps, bool useClockWhenMissing, bool versionFollows)
        {
            int every = mapper._options.CheckpointEvery;
            for (int i = 0; i < newSteps.Count; i++)
            {
                Step step = newSteps[i];
                long createdAt = step.Timestamp?.ToUnixTimeSeconds()
                    ?? (useClockWhenMissing ? mapper._time.GetUtcNow().ToUnixTimeSeconds() : lastStepAt);
                createdAt = Math.Max(createdAt, lastStepAt);
                int seq = stepIds.Count + 1;
                string? previous = stepIds.Count == 0 ? null : stepIds[^1];
                (NostrEvent signed, string content, Step published) = SignStep(seq, previous, step with { Seq = seq }, createdAt);
                stepIds.Add(signed.Id);
                stepContents.Add(content);
                lastStepAt = createdAt;
                steps.Add(published);
                if (published is ToolStep { OutputTruncated: true } && step is ToolStep full)
                {
                    _fullOutputs[seq] = full.Output;
                }

                _stepEvents.Add(signed);
                _events.Add(signed);
                bool last = i == newSteps.Count - 1;
                if (every > 0 && stepIds.Count % every == 0 && !(last && versionFollows))
                {
                    PublishSession(final: false, minimumCreatedAt: 0, isOpening: false);
                }
            }
        }

        public MappedTrajectory Result(Trajectory source)
        {
            // The state keeps the full outputs: the local archive is where an auditor gets them.
            Trajectory full = new Trajectory(Session, ValueList.From(steps.Select(s =>
                s is ToolStep t && _fullOutputs.TryGetValue(s.Seq, out string? output)
                    ? t with { Output = output, OutputTruncated = false, OutputSha256 = null }
                    : s)))
            {
                Payments = source.Payments,
                Notes = source.Notes,
            };
            var state = new PublishedState(full, pubKey, OpeningId, ValueList.From(stepIds), ValueList.From(stepContents), lastSessionAt, lastStepAt);
            return new MappedTrajectory(_events, _stepEvents, _sessions, _fullOutputs, state);
        }

        private (NostrEvent Event, string Content, Step Published) SignStep(int seq, string? previous, Step step, long createdAt)
        {
            string? inputHash = null;
            string? outputHash = null;
            if (step is ToolStep tool)
            {
                inputHash = Sha256.HexOfUtf8(CompactJson.Normalize(tool.InputJson, $"step {seq} input"));
                outputHash = tool.OutputSha256 ?? Sha256.HexOfUtf8(tool.Output);
            }

            List<Tag> tags = mapper.StepTags(pubKey, Session.Sid, seq, OpeningId, previous, Session.Tick, step, inputHash, outputHash);
            var tagList = new TagList(tags);

            // The output hash is already known: do not hash a long output twice.
            string content = StepContentWriter.Write(step is ToolStep known ? known with { OutputSha256 = outputHash } : step);
            int size = Measure(createdAt, TrajectoryKinds.Step, tagList, content);
            int max = mapper._options.MaxEventBytes;
            Step published = step;
            if (size > max)
            {
                if (step is not ToolStep t || t.OutputTruncated)
                {
                    throw new TrajectoryMappingException(
                        $"step {seq} ({step.TypeName}): event is {size} bytes, over the {max}-byte limit, and only tool output can be cut", seq);
                }

                int fixedPart = ExactSize(createdAt, TrajectoryKinds.Step, tagList, StepContentWriter.Write(t with { Output = string.Empty, OutputTruncated = true, OutputSha256 = outputHash }));
                int budget = max - fixedPart;
                for (int attempt = 0; ; attempt++)
                {
                    if (budget <= 0 || attempt == 8)
                    {
                        throw new TrajectoryMappingException(
                            $"step {seq} (tool {t.Name}): event is {fixedPart} bytes without any output, over the {max}-byte limit", seq);
                    }

                    published = t with { Output = OutputPreview.Cut(t.Output, budget), OutputTruncated = true, OutputSha256 = outputHash };
                    content = StepContentWriter.Write(published);
                    size = Measure(createdAt, TrajectoryKinds.Step, tagList, content);
                    if (size <= max)
                    {
                        break;
                    }

                    budget -= size - max;
                }
            }

            NostrEvent signed = sign(new UnsignedEvent(createdAt, TrajectoryKinds.Step, tagList, content));
            CheckSigner(signed);
            return (signed, content, published);
        }

        private NostrEvent SignChecked(UnsignedEvent unsigned)
        {
            int size = Measure(unsigned.CreatedAt, unsigned.Kind, unsigned.Tags, unsigned.Content);
            if (size > mapper._options.MaxEventBytes)
            {
                throw new TrajectoryMappingException(
                    $"session event is {size} bytes, over the {mapper._options.MaxEventBytes}-byte limit");
            }

            NostrEvent signed = sign(unsigned);
            CheckSigner(signed);
            return signed;
        }

        private void CheckSigner(NostrEvent signed)
        {
            if (!string.Equals(signed.PubKey, pubKey, StringComparison.Ordinal))
            {
                throw new TrajectoryMappingException($"the signer signed as {signed.PubKey}, not the session's key {pubKey}");
            }
        }

        /// <summary>
        /// The serialised size, or a cheaper upper bound when that bound already fits: no
        /// character takes more than 6 bytes in a NIP-01 string, and most events are far below the limit.
        /// </summary>
        private int Measure(long createdAt, int kind, TagList tags, string content)
        {
            long bound = 400 + 6L * content.Length;
            foreach (Tag tag in tags)
            {
                bound += 3;
                foreach (string value in tag.Values)
                {
                    bound += 3 + 6L * value.Length;
                }
            }

            return bound <= mapper._options.MaxEventBytes ? (int)bound : ExactSize(createdAt, kind, tags, content);
        }

        private int ExactSize(long createdAt, int kind, TagList tags, string content) =>
            CanonicalJson.Utf8Length(new NostrEvent(ZeroId, pubKey, createdAt, kind, tags, content, ZeroSig));
    }
}
