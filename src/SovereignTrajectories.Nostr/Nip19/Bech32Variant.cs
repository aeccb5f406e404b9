namespace SovereignTrajectories.Nostr.Nip19;

/// <summary>Which checksum constant a bech32 string uses (BIP-173 bech32 or BIP-350 bech32m).</summary>
public enum Bech32Variant
{
    /// <summary>BIP-173; what NIP-19 and BOLT11 use.</summary>
    Bech32,

    /// <summary>BIP-350.</summary>
    Bech32m,
}
