namespace SovereignTrajectories.Nostr.Messages;

/// <summary>A relay frame that is not a well-formed NIP-01 message; the message says what is wrong.</summary>
public sealed class RelayMessageFormatException : FormatException
{
    public RelayMessageFormatException(string message)
        : base(message)
    {
    }

    public RelayMessageFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
