namespace SovereignTrajectories.Worker.Http;

/// <summary>A request refused before its body was understood (size, media type, encoding).</summary>
public sealed class HttpIntakeException : Exception
{
    public HttpIntakeException(int statusCode, string message, Exception? inner = null)
        : base(message, inner)
    {
        StatusCode = statusCode;
    }

    public int StatusCode { get; }
}
