namespace SovereignTrajectories.Trajectories.Model;

/// <summary>
/// User feedback on the run, the reward signal that turns a log into training data.
/// <see cref="Value"/> is in -1..1; the time is the step's <see cref="Step.Timestamp"/>.
/// </summary>
public sealed record RewardStep : Step
{
    public RewardStep(RewardSignal signal, double value, RewardSource source)
    {
        if (double.IsNaN(value) || value < -1 || value > 1)
        {
            throw new ArgumentOutOfRangeException(nameof(value), value, "reward value must be within -1..1");
        }

        Signal = signal;
        Value = value;
        Source = source;
    }

    public RewardSignal Signal { get; init; }

    public double Value { get; init; }

    public RewardSource Source { get; init; }

    public string? Comment { get; init; }

    public Reward Reward => new(Signal, Value);

    public override string TypeName => StepTypes.Reward;
}
