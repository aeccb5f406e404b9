namespace SovereignTrajectories.Trajectories.Model;

/// <summary>
/// One exchange: a user input and everything the agent did until the next one. Steps before
/// the first user input form a turn whose <see cref="Input"/> is null.
/// </summary>
public sealed record Turn(int Index, UserStep? Input, ValueList<Step> Steps)
{
    /// <summary>The agent's messages in this turn.</summary>
    public IEnumerable<AgentStep> Responses => Steps.OfType<AgentStep>();

    /// <summary>The tool calls in this turn.</summary>
    public IEnumerable<ToolStep> ToolCalls => Steps.OfType<ToolStep>();
}
