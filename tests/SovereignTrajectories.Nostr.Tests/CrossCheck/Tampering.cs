namespace SovereignTrajectories.Nostr.Tests.CrossCheck;

/// <summary>One way of changing a signed event after signing.</summary>
internal enum Tampering
{
    Content,
    Tag,
    CreatedAt,
    SignatureBit,
}
