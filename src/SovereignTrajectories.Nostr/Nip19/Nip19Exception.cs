namespace SovereignTrajectories.Nostr.Nip19;

/// <summary>A bech32 string or NIP-19 entity that cannot be decoded; the message says what is wrong.</summary>
public sealed class Nip19Exception : FormatException
{
    public Nip19Exception(string message)
        : base(message)
    {
    }

    public Nip19Exception(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
