namespace SovereignTrajectories.Worker.Outbox;

/// <summary>Where one (event, relay) delivery stands.</summary>
public enum DeliveryStatus
{
    /// <summary>Not yet accepted; will be (re)sent at its next attempt time.</summary>
    Pending,

    /// <summary>The relay answered <c>OK true</c>.</summary>
    Accepted,

    /// <summary>Given up: the relay refused it for good (invalid, blocked, ...) or the attempts ran out; the reason is kept.</summary>
    Failed,

    /// <summary>Not needed any more: the relay already accepted a newer version of the same addressable event.</summary>
    Superseded,
}
