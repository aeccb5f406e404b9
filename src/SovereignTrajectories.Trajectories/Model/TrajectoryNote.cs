namespace SovereignTrajectories.Trajectories.Model;

/// <summary>
/// Something a reader accepted but wants reported: a legacy form, a skipped line, an unknown
/// field. <see cref="Location"/> names where (file:line, event id, step seq).
/// </summary>
public sealed record TrajectoryNote(string Code, string Message, string? Location = null)
{
    public override string ToString() => Location is null ? $"{Code}: {Message}" : $"{Location}: {Code}: {Message}";
}
