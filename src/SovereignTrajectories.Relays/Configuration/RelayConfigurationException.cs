namespace SovereignTrajectories.Relays.Configuration;

/// <summary>relays.json (or another pool configuration) is unreadable or invalid; the message names the file and entry.</summary>
public sealed class RelayConfigurationException : FormatException
{
    public RelayConfigurationException(string message)
        : base(message)
    {
    }

    public RelayConfigurationException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
