namespace SovereignTrajectories.Trajectories.Json;

/// <summary>
/// What a step's errors and notes name as their source (<c>event &lt;id&gt;</c>, <c>file:line</c>), kept
/// as its two parts and joined only when an error or a note needs the text: a 100,000-step read would
/// otherwise build 100,000 strings for the rare step that has something to say.
/// </summary>
internal readonly struct StepSource(string prefix, string name)
{
    public override string ToString() => prefix.Length == 0 ? name : prefix + name;

    public static implicit operator string(StepSource source) => source.ToString();

    public static implicit operator StepSource(string text) => new(string.Empty, text);
}
