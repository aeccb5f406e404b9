namespace SovereignTrajectories.Worker.Intake;

/// <summary>
/// Takes one complete file out of a drop directory. Returns once what it held is safely stored.
/// Throws a content error (see <see cref="SpoolErrors.IsContentError"/>) for a file that can never
/// be read; any other exception is treated as transient and the file is tried again later.
/// </summary>
public interface ISpoolFileHandler
{
    Task HandleAsync(string path, CancellationToken cancellationToken);
}
