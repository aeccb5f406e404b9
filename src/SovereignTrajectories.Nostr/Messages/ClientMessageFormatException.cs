namespace SovereignTrajectories.Nostr.Messages;

/// <summary>A client frame that is not a well-formed NIP-01 message; the message says what is wrong.</summary>
public sealed class ClientMessageFormatException : FormatException
{
    public ClientMessageFormatException(string message)
        : base(message)
    {
    }

    public ClientMessageFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
