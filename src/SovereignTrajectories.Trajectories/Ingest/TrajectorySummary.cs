using SovereignTrajectories.Trajectories.Model;
using SovereignTrajectories.Trajectories.Verification;

namespace SovereignTrajectories.Trajectories.Ingest;

/// <summary>
/// What a person wants to see of a run at a glance: turns, steps by type, tool calls by name,
/// the verification verdict (the last run of each kind counts) and the usage sums.
/// </summary>
public sealed record TrajectorySummary(
    int Turns,
    int Steps,
    IReadOnlyDictionary<string, int> StepsByType,
    IReadOnlyDictionary<string, int> ToolCalls,
    VerificationVerdict Verdict,
    IReadOnlyDictionary<VerificationKind, VerificationStep> LastByKind,
    Usage? Usage,
    Reward? Reward)
{
    public static TrajectorySummary Of(Trajectory trajectory)
    {
        ArgumentNullException.ThrowIfNull(trajectory);
        var byType = new SortedDictionary<string, int>(StringComparer.Ordinal);
        var tools = new SortedDictionary<string, int>(StringComparer.Ordinal);
        var last = new Dictionary<VerificationKind, VerificationStep>();
        foreach (Step step in trajectory.Steps)
        {
            byType[step.TypeName] = byType.GetValueOrDefault(step.TypeName) + 1;
            if (step is ToolStep tool)
            {
                tools[tool.Name] = tools.GetValueOrDefault(tool.Name) + 1;
            }
            else if (step is VerificationStep v)
            {
                last[v.Kind] = v;
            }
        }

        VerificationVerdict verdict = VerificationVerdict.Compute(
            trajectory.Verifications.Select(v => new VerificationRecord(VerificationExtractor.WireKind(v.Kind), v.Succeeded)));
        return new TrajectorySummary(
            trajectory.Turns.Count, trajectory.Steps.Count, byType, tools, verdict, last, trajectory.TotalUsage, trajectory.LatestReward);
    }
}
