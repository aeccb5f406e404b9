using System.Globalization;
using System.Text;
using SovereignTrajectories.Trajectories.Mapping;
using SovereignTrajectories.Trajectories.Model;

namespace SovereignTrajectories.Audit.Replay;

/// <summary>
/// A run rebuilt step by step from its events alone, with the derived values recomputed from the steps
/// (turns, tool results, verification runs, reward, usage), for the terminal and HTML reports.
/// </summary>
public sealed record ReplayTimeline(
    string Sid,
    string Model,
    DateTimeOffset StartedAt,
    DateTimeOffset? EndedAt,
    IReadOnlyList<ReplayEntry> Entries,
    int Turns,
    int ToolCalls,
    int FailedToolCalls,
    int VerificationRuns,
    int FailedVerificationRuns,
    Reward? Reward,
    Usage? Usage)
{
    private const int TitleLength = 100;

    /// <summary>Builds the timeline from what the reader rebuilt (steps and their events in seq order).</summary>
    public static ReplayTimeline From(TrajectoryReadResult read)
    {
        ArgumentNullException.ThrowIfNull(read);
        Trajectory t = read.Trajectory;
        var turnOf = new Dictionary<int, int>();
        foreach (Turn turn in t.Turns)
        {
            foreach (Step s in turn.Steps)
            {
                turnOf[s.Seq] = turn.Index;
            }
        }

        var entries = new List<ReplayEntry>(t.Steps.Count);
        for (int i = 0; i < t.Steps.Count; i++)
        {
            Step s = t.Steps[i];
            (string title, string detail, bool? ok) = Describe(s);
            entries.Add(new ReplayEntry(s.Seq, turnOf.GetValueOrDefault(s.Seq), s.TypeName, Shorten(title), detail, ok, read.StepEvents[i].Id, read.StepEvents[i].CreatedAt));
        }

        ToolStep[] tools = t.Steps.OfType<ToolStep>().ToArray();
        VerificationStep[] runs = t.Verifications.ToArray();
        return new ReplayTimeline(
            t.Session.Sid,
            t.Session.Model,
            t.Session.StartedAt,
            t.Session.EndedAt,
            entries,
            t.Turns.Count,
            tools.Length,
            tools.Count(x => !x.Ok),
            runs.Length,
            runs.Count(r => !r.Succeeded),
            t.LatestReward,
            t.TotalUsage);
    }

    private static (string Title, string Detail, bool? Ok) Describe(Step step) => step switch
    {
        UserStep u => (OneLine(u.Content), u.Content, null),
        AgentStep a => (OneLine(a.Content), a.Content + (a.Usage is { } us ? string.Create(CultureInfo.InvariantCulture, $"\n\n[{us.TokensIn} tokens in, {us.TokensOut} out, {us.TokensCached} cached, ${us.CostUsd}]") : string.Empty), null),
        ThinkingStep th => (th.IsRedacted ? "(redacted)" : OneLine(th.Content), th.IsRedacted ? $"<redacted>; SHA-256 of the original: {th.Hash}" : th.Content, null),
        ToolStep tool => ($"tool {tool.Name}{(tool.Ok ? string.Empty : " (failed)")}", ToolDetail(tool), tool.Ok),
        ToolStartStep ts => ($"tool {ts.Name} started", ts.InputJson ?? ts.Command ?? string.Empty, null),
        ObservationStep o => ($"observation {o.Status}", o.Content ?? string.Empty, null),
        VerificationStep v => (
            string.Create(CultureInfo.InvariantCulture, $"{v.Kind.ToString().ToLowerInvariant()} `{OneLine(v.Command)}`: {(v.Succeeded ? "passed" : "FAILED")} ({v.Passed} passed, {v.Failed} failed, {v.Skipped} skipped)"),
            string.Create(CultureInfo.InvariantCulture, $"command: {v.Command}\nexit code: {v.ExitCode}\npassed {v.Passed}, failed {v.Failed}, skipped {v.Skipped}\nstatement sha256: {v.StatementSha256Hex ?? "(none)"}\noutput sha256: {v.OutputSha256 ?? "(not published)"}"),
            v.Succeeded),
        RewardStep r => (string.Create(CultureInfo.InvariantCulture, $"reward {r.Signal.ToString().ToLowerInvariant()} {r.Value}"), r.Comment ?? string.Empty, r.Value >= 0),
        _ => (step.TypeName, step.ToString(), null),
    };

    private static string ToolDetail(ToolStep tool)
    {
        var sb = new StringBuilder();
        sb.Append("input: ").Append(tool.InputJson).Append('\n');
        sb.Append(tool.Ok ? "ok" : "failed");
        if (tool.LatencyMs is long ms)
        {
            sb.Append(CultureInfo.InvariantCulture, $" in {ms} ms");
        }

        sb.Append('\n');
        if (tool.OutputTruncated)
        {
            sb.Append("output (preview; full output SHA-256 ").Append(tool.OutputSha256).Append("):\n");
        }
        else
        {
            sb.Append("output:\n");
        }

        sb.Append(tool.Output);
        return sb.ToString();
    }

    private static string OneLine(string text) => text.ReplaceLineEndings(" ").Trim();

    private static string Shorten(string text)
    {
        if (text.Length <= TitleLength)
        {
            return text;
        }

        int cut = TitleLength - 3;
        if (char.IsHighSurrogate(text[cut - 1]))
        {
            cut--;
        }

        return text[..cut] + "...";
    }
}
