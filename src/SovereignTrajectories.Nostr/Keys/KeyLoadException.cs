namespace SovereignTrajectories.Nostr.Keys;

/// <summary>
/// A secret key that cannot be loaded. The message names the source (file, environment variable)
/// and what is wrong, and never repeats any part of the key material.
/// </summary>
public sealed class KeyLoadException : Exception
{
    public KeyLoadException(string message)
        : base(message)
    {
    }

    public KeyLoadException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
