using System.Buffers;

namespace SovereignTrajectories.Nostr.Messages;

/// <summary>
/// An <c>EVENT</c> frame for subscription <see cref="SubscriptionId"/> whose event failed the strict
/// parse; <see cref="Reason"/> says why. Pools count these per relay instead of dropping the connection.
/// </summary>
public sealed record RelayInvalidEventMessage(string SubscriptionId, string Reason) : RelayMessage
{
    /// <summary>Always throws: the original event was not kept, so the frame cannot be rebuilt.</summary>
    public override void WriteTo(IBufferWriter<byte> writer) =>
        throw new InvalidOperationException("an invalid EVENT frame cannot be re-serialised: its event was not kept");
}
