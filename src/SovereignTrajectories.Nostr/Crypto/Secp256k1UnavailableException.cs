namespace SovereignTrajectories.Nostr.Crypto;

/// <summary>Thrown at the first signature operation when the system libsecp256k1 cannot be loaded.</summary>
public sealed class Secp256k1UnavailableException : Exception
{
    internal const string InstallHint =
        "libsecp256k1 is not installed: run `apt-get install libsecp256k1-1` (Debian/Ubuntu) or `brew install secp256k1` (macOS)";

    public Secp256k1UnavailableException()
        : base(InstallHint)
    {
    }

    public Secp256k1UnavailableException(string message)
        : base(message)
    {
    }

    public Secp256k1UnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
