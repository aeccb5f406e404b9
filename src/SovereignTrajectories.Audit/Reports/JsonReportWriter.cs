using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using SovereignTrajectories.Audit.Checks;
using SovereignTrajectories.Audit.Fetching;
using SovereignTrajectories.Audit.Verification;
using SovereignTrajectories.Nostr.Events;

namespace SovereignTrajectories.Audit.Reports;

/// <summary>
/// Writes an <see cref="AuditReport"/> as the stable <c>sovtraj.audit.v1</c> JSON document described in
/// docs/audit-report.md: fixed key order, every key always present (null when unknown), indented.
/// </summary>
public static class JsonReportWriter
{
    /// <summary>The schema identifier; a breaking change gets a new one.</summary>
    public const string Schema = "sovtraj.audit.v1";

    private static readonly JsonWriterOptions Options = new() { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static string ToJson(AuditReport report)
    {
        using var stream = new MemoryStream();
        Write(report, stream);
        return System.Text.Encoding.UTF8.GetString(stream.ToArray());
    }

    public static void Write(AuditReport report, Stream output)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(output);
        using var w = new Utf8JsonWriter(output, Options);
        w.WriteStartObject();
        w.WriteString("schema", Schema);
        w.WriteString("target", report.Target);
        w.WriteString("target_kind", KindName(report.TargetKind));
        WriteNullable(w, "coordinate", report.Coordinate);
        w.WriteString("source", report.Source);
        w.WriteString("verdict", VerdictName(report.Verdict));
        w.WriteNumber("exit_code", report.ExitCode);
        WriteNullable(w, "reason", report.CouldNotRunReason);
        w.WriteString("verdict_line", report.VerdictLine);
        w.WriteString("audited_at", report.AuditedAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
        w.WriteNumber("elapsed_ms", (long)report.Elapsed.TotalMilliseconds);
        w.WriteNumber("events_fetched", report.EventsFetched);
        WriteSession(w, report.Trajectory);
        w.WriteStartArray("claims");
        foreach (string id in report.ClaimEventIds)
        {
            w.WriteStringValue(id);
        }

        w.WriteEndArray();
        w.WriteStartArray("sources");
        foreach (SourceReport s in report.Sources)
        {
            w.WriteStartObject();
            w.WriteString("source", s.Source);
            w.WriteNumber("received", s.Received);
            w.WriteNumber("dropped_invalid", s.DroppedInvalid);
            w.WriteNumber("dropped_unmatched", s.DroppedUnmatched);
            w.WriteBoolean("completed", s.Completed);
            WriteNullable(w, "error", s.Error);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteStartObject("summary");
        foreach (CheckStatus status in Enum.GetValues<CheckStatus>())
        {
            w.WriteNumber(StatusName(status), report.Checks.Count(c => c.Status == status));
        }

        w.WriteEndObject();
        w.WriteStartArray("checks");
        foreach (CheckResult c in report.Checks)
        {
            w.WriteStartObject();
            w.WriteString("name", c.Name);
            w.WriteString("status", StatusName(c.Status));
            w.WriteBoolean("required", c.Required);
            w.WriteString("reason", c.Reason);
            w.WriteStartArray("evidence");
            foreach (string id in c.EvidenceIds)
            {
                w.WriteStringValue(id);
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteEndObject();
    }

    public static string StatusName(CheckStatus status) => status switch
    {
        CheckStatus.Pass => "pass",
        CheckStatus.Fail => "fail",
        CheckStatus.Warn => "warn",
        CheckStatus.Unverifiable => "unverifiable",
        _ => "note",
    };

    public static string VerdictName(AuditVerdict verdict) => verdict switch
    {
        AuditVerdict.Pass => "pass",
        AuditVerdict.Fail => "fail",
        _ => "could_not_run",
    };

    private static string KindName(AuditTargetKind kind) => kind switch
    {
        AuditTargetKind.Session => "session",
        AuditTargetKind.ClaimEvent => "claim_event",
        _ => "receipt_file",
    };

    private static void WriteSession(Utf8JsonWriter w, TrajectoryVerification? t)
    {
        if (t is null || t.SessionVersions.Count == 0)
        {
            w.WriteNull("session");
            return;
        }

        NostrEvent newest = t.SessionVersions[^1];
        w.WriteStartObject("session");
        w.WriteString("event_id", newest.Id);
        w.WriteString("author", newest.PubKey);
        w.WriteString("sid", newest.DTag);
        w.WriteNumber("created_at", newest.CreatedAt);
        w.WriteStartArray("versions");
        foreach (NostrEvent v in t.SessionVersions)
        {
            w.WriteStringValue(v.Id);
        }

        w.WriteEndArray();
        WriteNullable(w, "started_at", t.SessionContent?.StartedAt);
        WriteNullable(w, "ended_at", t.Resolved?.EndedAt);
        WriteNullable(w, "total_events", t.SessionContent?.TotalEvents);
        WriteNullable(w, "steps", t.Resolved?.StepCount);
        WriteNullable(w, "trajectory_hash", t.Resolved?.TrajectoryHash);
        WriteNullable(w, "merkle_root", t.Resolved?.MerkleRoot);
        if (t.Resolved is { VerificationPassed: not null } r)
        {
            w.WriteStartObject("verification");
            w.WriteBoolean("passed", r.VerificationPassed.Value);
            WriteNullable(w, "digest", r.VerificationDigest);
            w.WriteEndObject();
        }
        else
        {
            w.WriteNull("verification");
        }

        w.WriteEndObject();
    }

    private static void WriteNullable(Utf8JsonWriter w, string name, string? value)
    {
        if (value is null)
        {
            w.WriteNull(name);
        }
        else
        {
            w.WriteString(name, value);
        }
    }

    private static void WriteNullable(Utf8JsonWriter w, string name, long? value)
    {
        if (value is null)
        {
            w.WriteNull(name);
        }
        else
        {
            w.WriteNumber(name, value.Value);
        }
    }
}
