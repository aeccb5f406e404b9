namespace SovereignTrajectories.Trajectories.Model;

/// <summary>The agent's task list as it stands after an update.</summary>
public sealed record TodosStep(ValueList<TodoItem> Items) : Step
{
    public override string TypeName => StepTypes.Todos;
}
