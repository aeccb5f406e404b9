using SovereignTrajectories.Trajectories.Mapping;

namespace SovereignTrajectories.Trajectories.Json;

/// <summary>Writes the session event's content with the profile's fixed key order (§2).</summary>
public static class SessionContentWriter
{
    public static string Write(SessionContent content)
    {
        ArgumentNullException.ThrowIfNull(content);
        var w = new CompactJsonWriter(256);
        w.StartObject();
        w.String("session_id", content.SessionId);
        w.Number("started_at", content.StartedAt);
        w.NumberIfNotNull("ended_at", content.EndedAt);
        w.String("model", content.Model);
        w.Number("total_events", content.TotalEvents);
        w.StringIfNotNull("trajectory_hash", content.TrajectoryHash);
        w.StringIfNotNull("merkle_root", content.MerkleRoot);
        if (content.Verification is { } v)
        {
            w.Name("verification");
            w.StartObject();
            w.Bool("passed", v.Passed);
            w.Number("runs", v.Runs);
            w.Number("failed_runs", v.FailedRuns);
            w.String("sha256", v.Sha256);
            w.EndObject();
        }

        if (content.Reward is { } r)
        {
            w.Name("reward");
            w.StartObject();
            w.String("signal", WireNames.Of(r.Signal));
            w.Number("value", r.Value);
            w.EndObject();
        }

        if (content.Usage is { } u)
        {
            w.Name("usage");
            w.StartObject();
            StepContentWriter.WriteUsage(w, u);
            w.EndObject();
        }

        w.EndObject();
        return w.ToJsonString();
    }
}
