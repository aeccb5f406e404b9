namespace SovereignTrajectories.Trajectories.Model;

/// <summary>
/// An agent run: session metadata, ordered steps (seq contiguous from 1), payments tied to it
/// and notes from whoever produced it. Immutable; compared by value.
/// </summary>
public sealed record Trajectory
{
    public Trajectory(SessionInfo session, ValueList<Step> steps)
    {
        Session = session;
        Steps = steps;
    }

    public SessionInfo Session
    {
        get;
        init => field = value ?? throw new ArgumentNullException(nameof(Session));
    }

    /// <summary>The steps; step i (0-based) has <see cref="Step.Seq"/> i + 1.</summary>
    public ValueList<Step> Steps
    {
        get;
        init => field = CheckSeq(value);
    }

    /// <summary>Payments tied to the run (REPLAY.jsonl <c>Payment</c> events).</summary>
    public ValueList<Payment> Payments { get; init; } = ValueList<Payment>.Empty;

    /// <summary>What the producer of this model (an ingest adapter, a reader) wants reported.</summary>
    public ValueList<TrajectoryNote> Notes { get; init; } = ValueList<TrajectoryNote>.Empty;

    /// <summary>Builds a trajectory from steps in order, numbering them 1..n whatever their <see cref="Step.Seq"/>.</summary>
    public static Trajectory Create(SessionInfo session, IEnumerable<Step> steps) =>
        new(session, Renumber(steps, 1));

    /// <summary>A copy with <paramref name="steps"/> appended (numbered after the last step).</summary>
    public Trajectory Append(IEnumerable<Step> steps) =>
        this with { Steps = Steps.AddRange(Renumber(steps, Steps.Count + 1)) };

    /// <summary>The run split into turns (a user input and everything until the next one).</summary>
    public IReadOnlyList<Turn> Turns
    {
        get
        {
            var turns = new List<Turn>();
            UserStep? input = null;
            var current = new List<Step>();
            bool started = false;
            foreach (Step step in Steps)
            {
                if (step is UserStep user)
                {
                    if (started)
                    {
                        turns.Add(new Turn(turns.Count + 1, input, ValueList.From(current)));
                    }

                    input = user;
                    current = [];
                }

                started = true;
                current.Add(step);
            }

            if (started)
            {
                turns.Add(new Turn(turns.Count + 1, input, ValueList.From(current)));
            }

            return turns;
        }
    }

    /// <summary>Sum of every agent step's usage; null when no step has usage.</summary>
    public Usage? TotalUsage
    {
        get
        {
            Usage[] usages = Steps.OfType<AgentStep>().Select(a => a.Usage).OfType<Usage>().ToArray();
            return usages.Length == 0 ? null : Usage.Sum(usages);
        }
    }

    /// <summary>The latest reward step's signal and value, or null.</summary>
    public Reward? LatestReward => Steps.OfType<RewardStep>().LastOrDefault()?.Reward;

    public IEnumerable<VerificationStep> Verifications => Steps.OfType<VerificationStep>();

    private static ValueList<Step> CheckSeq(ValueList<Step> steps)
    {
        ArgumentNullException.ThrowIfNull(steps);
        for (int i = 0; i < steps.Count; i++)
        {
            if (steps[i] is null)
            {
                throw new ArgumentException($"step at index {i} is null", nameof(Steps));
            }

            if (steps[i].Seq != i + 1)
            {
                throw new ArgumentException(
                    $"step at index {i} has seq {steps[i].Seq}; steps must be numbered contiguously from 1 (use Trajectory.Create to number them)",
                    nameof(Steps));
            }
        }

        return steps;
    }

    private static ValueList<Step> Renumber(IEnumerable<Step> steps, int first)
    {
        ArgumentNullException.ThrowIfNull(steps);
        int seq = first;
        // A step already numbered right is kept as it is: a reader that numbered its steps need not have
        // every one of them copied (100,000 copies for a long run).
        return ValueList.From(steps.Select(s => s is null
            ? throw new ArgumentException($"step {seq} is null", nameof(steps))
            : s.Seq == seq ? Next(s) : s with { Seq = seq++ }));

        Step Next(Step s)
        {
            seq++;
            return s;
        }
    }
}
