namespace SovereignTrajectories.Nostr.Nip44;

/// <summary>A NIP-44 payload or plaintext that cannot be encrypted or decrypted; the message says which rule it breaks.</summary>
public sealed class Nip44Exception : Exception
{
    public Nip44Exception()
    {
    }

    public Nip44Exception(string message)
        : base(message)
    {
    }

    public Nip44Exception(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
