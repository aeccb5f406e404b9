namespace SovereignTrajectories.Relays.Connections;

/// <summary>A NOTICE a relay sent, surfaced to the caller (and counted; a flood is never buffered unbounded).</summary>
public sealed record RelayNotice(string Relay, string Message, DateTimeOffset ReceivedAt);
