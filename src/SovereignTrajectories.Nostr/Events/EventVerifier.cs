using System.Security.Cryptography;
using SovereignTrajectories.Nostr.Crypto;
using SovereignTrajectories.Nostr.Encoding;

namespace SovereignTrajectories.Nostr.Events;

/// <summary>
/// Checks that an event's id is the SHA-256 of its canonical preimage and that its BIP-340 signature
/// over that id verifies under its pubkey. Thread-safe and allocation-light: meant for Parallel.ForEach.
/// </summary>
public static unsafe class EventVerifier
{
    /// <summary>Verifies <paramref name="e"/>, returning why it fails when it does.</summary>
    public static EventCheck Verify(NostrEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        Span<byte> pubKey = stackalloc byte[32];
        Span<byte> claimedId = stackalloc byte[32];
        Span<byte> sig = stackalloc byte[64];
        if (!IsLowerHexInto(e.PubKey, pubKey))
        {
            return EventCheck.Invalid("pubkey is not 64 lower-case hex characters");
        }

        if (!IsLowerHexInto(e.Id, claimedId))
        {
            return EventCheck.Invalid("id is not 64 lower-case hex characters");
        }

        if (!IsLowerHexInto(e.Sig, sig))
        {
            return EventCheck.Invalid("sig is not 128 lower-case hex characters");
        }

        if (e.Kind is < 0 or > 65535)
        {
            return EventCheck.Invalid($"kind {e.Kind} is outside 0-65535");
        }

        if (e.CreatedAt < 0)
        {
            return EventCheck.Invalid($"created_at {e.CreatedAt} is negative");
        }

        Span<byte> computed = stackalloc byte[32];
        try
        {
            EventId.Compute(e.PubKey, e.CreatedAt, e.Kind, e.Tags, e.Content, computed);
        }
        catch (EventFormatException ex)
        {
            return EventCheck.Invalid(ex.Message);
        }

        if (!CryptographicOperations.FixedTimeEquals(computed, claimedId))
        {
            return EventCheck.Invalid("id mismatch: computed " + Convert.ToHexStringLower(computed));
        }

        nint ctx = Secp256k1Context.Handle;
        byte* parsed = stackalloc byte[Secp256k1Native.XOnlyPubKeySize];
        fixed (byte* pk = pubKey)
        fixed (byte* id = computed)
        fixed (byte* s = sig)
        {
            if (!Schnorr.TryParseXOnly(ctx, pk, parsed))
            {
                return EventCheck.Invalid("pubkey is not a valid x-only key");
            }

            return Schnorr.VerifyParsed(ctx, s, id, 32, parsed) ? EventCheck.Valid : EventCheck.Invalid("bad signature");
        }
    }

    /// <summary>True when <see cref="Verify"/> finds nothing wrong.</summary>
    public static bool IsValid(NostrEvent e) => Verify(e).IsValid;

    private static bool IsLowerHexInto(string value, Span<byte> destination) =>
        value is not null && Hex.IsLowerHex(value, destination.Length * 2) && Hex.TryDecode(value, destination);
}
