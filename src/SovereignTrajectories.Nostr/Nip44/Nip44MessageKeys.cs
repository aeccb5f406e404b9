namespace SovereignTrajectories.Nostr.Nip44;

/// <summary>The per-message keys NIP-44 v2 expands from the conversation key and the nonce.</summary>
public sealed record Nip44MessageKeys(byte[] ChaChaKey, byte[] ChaChaNonce, byte[] HmacKey);
