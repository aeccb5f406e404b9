namespace SovereignTrajectories.Worker.Otlp;

/// <summary>An export request refused: <see cref="StatusCode"/> is the HTTP answer, the message the reason.</summary>
public sealed class OtlpRequestException : Exception
{
    public OtlpRequestException(int statusCode, string message, Exception? inner = null)
        : base(message, inner)
    {
        StatusCode = statusCode;
    }

    public int StatusCode { get; }
}
