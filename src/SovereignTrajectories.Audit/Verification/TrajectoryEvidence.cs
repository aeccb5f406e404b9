using SovereignTrajectories.Audit.Fetching;
using SovereignTrajectories.Nostr.Events;

namespace SovereignTrajectories.Audit.Verification;

/// <summary>
/// Everything the verifier is given about one session: the events fetched for it (any author, valid or
/// not), lines that did not parse, what each source reported, and where full outputs and in-toto
/// statements can be found (offline mode). <paramref name="PreVerified"/> says every event already
/// passed id and signature verification in this process (the relay pool verifies each event on
/// arrival and drops the rest), so the verifier need not repeat the cryptography. <paramref name="Checks"/>,
/// when given, is the verdict of <see cref="EventVerifier"/> on each event of <paramref name="Events"/>
/// (same order), reached in this process by the archive reader; failures among them are reported
/// exactly as if the verifier had found them itself.
/// </summary>
public sealed record TrajectoryEvidence(
    string PubKey,
    string Sid,
    IReadOnlyList<NostrEvent> Events,
    IReadOnlyList<EventParseFailure> ParseFailures,
    IReadOnlyList<SourceReport> Sources,
    bool Offline,
    string? ArtifactsDirectory = null,
    bool PreVerified = false,
    IReadOnlyList<EventCheck>? Checks = null)
{
    /// <summary>The session coordinate.</summary>
    public string Coordinate => $"39230:{PubKey}:{Sid}";
}
