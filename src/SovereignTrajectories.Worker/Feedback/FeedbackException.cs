namespace SovereignTrajectories.Worker.Feedback;

/// <summary>
/// Feedback that cannot be applied: a bad body or file (400), an unknown session (404), a run that
/// has not ended (409). <see cref="StatusCode"/> is the HTTP answer; <see cref="Retryable"/> says
/// whether the same feedback may succeed later (a dropped file is then tried again).
/// </summary>
public sealed class FeedbackException : Exception
{
    public FeedbackException(int statusCode, string message, bool retryable = false, Exception? inner = null)
        : base(message, inner)
    {
        StatusCode = statusCode;
        Retryable = retryable;
    }

    public int StatusCode { get; }

    public bool Retryable { get; }
}
