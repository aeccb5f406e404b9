using SovereignTrajectories.Worker.Intake;

namespace SovereignTrajectories.Worker.Feedback;

/// <summary>
/// A dropped feedback file: one JSON object, or an array of them. Everything is checked before
/// anything is applied, so a bad item leaves the whole file untouched in failed/.
/// </summary>
public sealed class FeedbackFileHandler : ISpoolFileHandler
{
    /// <summary>Largest feedback file read.</summary>
    public const long MaxFileBytes = 4 * 1024 * 1024;

    private readonly FeedbackService _feedback;

    public FeedbackFileHandler(FeedbackService feedback)
    {
        _feedback = feedback;
    }

    public async Task HandleAsync(string path, CancellationToken cancellationToken)
    {
        string name = Path.GetFileName(path);
        long length = new FileInfo(path).Length;
        if (length > MaxFileBytes)
        {
            throw new FeedbackException(400, $"{name}: {length} bytes; a feedback file may hold at most {MaxFileBytes}");
        }

        byte[] bytes = await File.ReadAllBytesAsync(path, cancellationToken).ConfigureAwait(false);
        IReadOnlyList<FeedbackRequest> items = FeedbackParser.Parse(bytes, name, allowArray: true);
        for (int i = 0; i < items.Count; i++)
        {
            try
            {
                await _feedback.ApplyAsync(items[i], "feedback-file:" + name, cancellationToken).ConfigureAwait(false);
            }
            catch (FeedbackException ex) when (i > 0)
            {
                // Items before this one are stored; a retry would store them twice, so this file is done.
                throw new FeedbackException(ex.StatusCode, $"{name}: items [0..{i - 1}] were applied; item [{i}] failed: {ex.Message}", retryable: false, ex);
            }
            catch (FeedbackException ex)
            {
                throw new FeedbackException(ex.StatusCode, $"{name}: {ex.Message}", ex.Retryable, ex);
            }
        }
    }
}
