using System.Globalization;
using SovereignTrajectories.Audit.Fetching;
using SovereignTrajectories.Audit.Verification;
using SovereignTrajectories.Nostr.Events;
using SovereignTrajectories.Trajectories.Mapping;
using SovereignTrajectories.Trajectories.Model;

namespace SovereignTrajectories.Audit.Tests.Tamper;

/// <summary>A session folder laid out like the worker's archive (events.jsonl, outputs/, statements/), deleted on dispose.</summary>
internal sealed class TestArchive : IDisposable
{
    public TestArchive(IEnumerable<NostrEvent> events, MappedTrajectory? artifactsOf = null)
    {
        Directory = System.IO.Directory.CreateTempSubdirectory("sovtraj-audit-").FullName;
        File.WriteAllLines(Path.Combine(Directory, "events.jsonl"), events.Select(CanonicalJson.Serialize));
        if (artifactsOf is not null)
        {
            string outputs = System.IO.Directory.CreateDirectory(Path.Combine(Directory, "outputs")).FullName;
            foreach ((int seq, string output) in artifactsOf.FullOutputs)
            {
                File.WriteAllText(Path.Combine(outputs, Seq(seq) + ".txt"), output);
            }

            string statements = System.IO.Directory.CreateDirectory(Path.Combine(Directory, "statements")).FullName;
            foreach (VerificationStep v in artifactsOf.State.Trajectory.Verifications)
            {
                if (v.Statement is { } s)
                {
                    File.WriteAllBytes(Path.Combine(statements, Seq(v.Seq) + ".intoto.json"), s.StatementBytes.ToArray());
                }
            }
        }
    }

    public string Directory { get; }

    public static string Seq(int seq) => seq.ToString("D6", CultureInfo.InvariantCulture);

    /// <summary>Audits the archive offline, as <c>sovtraj verify --offline DIR</c> does.</summary>
    public async Task<AuditReport> AuditAsync(string pubKey, string sid)
    {
        var auditor = new TrajectoryAuditor(new ArchiveEventSource(Directory));
        return await auditor.AuditAsync(AuditTargetParser.Parse($"39230:{pubKey}:{sid}"), CancellationToken.None);
    }

    public void Dispose()
    {
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a temp folder left behind is harmless.
        }
    }
}
