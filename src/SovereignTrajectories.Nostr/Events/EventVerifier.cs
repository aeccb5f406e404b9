using System.Collections.Concurrent;
using System.Security.Cryptography;
using SovereignTrajectories.Nostr.Crypto;
using SovereignTrajectories.Nostr.Codecs;

namespace SovereignTrajectories.Nostr.Events;

/// <summary>
/// Checks that an event's id is the SHA-256 of its canonical preimage and that its BIP-340 signature
/// over that id verifies under its pubkey. Thread-safe and allocation-light: meant for Parallel.ForEach.
/// </summary>
public static unsafe class EventVerifier
{
    /// <summary>Verifies <paramref name="e"/>, returning why it fails when it does.</summary>
    public static EventCheck Verify(NostrEvent e) => Verify(e, null);

    /// <summary>
    /// Verifies <paramref name="e"/> like <see cref="Verify(NostrEvent)"/>, taking the parsed form of its
    /// pubkey from <paramref name="keys"/> when an earlier event had the same author: parsing an x-only
    /// key costs a square root, and a trajectory repeats one author thousands of times.
    /// </summary>
    public static EventCheck Verify(NostrEvent e, PublicKeyCache? keys) => Verify(e, keys, default, false);

    /// <summary>
    /// Verifies <paramref name="e"/> like <see cref="Verify(NostrEvent, PublicKeyCache?)"/>, taking its
    /// computed id from <paramref name="computedId32"/> instead of serialising the event again: the parser
    /// computes it from the bytes it read (<see cref="EventParser.Parse(ReadOnlySpan{byte}, Span{byte})"/>).
    /// The claimed id is still compared with it, so a wrong value here can only make the event fail.
    /// </summary>
    public static EventCheck Verify(NostrEvent e, ReadOnlySpan<byte> computedId32, PublicKeyCache? keys)
    {
        if (computedId32.Length != 32)
        {
            throw new ArgumentException($"the computed id must be 32 bytes, got {computedId32.Length}", nameof(computedId32));
        }

        return Verify(e, keys, computedId32, true);
    }

    private static EventCheck Verify(NostrEvent e, PublicKeyCache? keys, ReadOnlySpan<byte> precomputed, bool hasPrecomputed)
    {
        ArgumentNullException.ThrowIfNull(e);
        Span<byte> pubKey = stackalloc byte[32];
        Span<byte> claimedId = stackalloc byte[32];
        Span<byte> sig = stackalloc byte[64];
        ParsedKey? cached = null;

        // Read into a local so a null check here (a hand-built event may hold null) says nothing about e.
        string? hex = e.PubKey;
        if (keys is not null && hex is not null && keys.TryGet(hex, out cached))
        {
            // A cached key was lower-case hex when it was stored, so the format check below cannot fail.
        }
        else if (!IsLowerHexInto(hex, pubKey))
        {
            return EventCheck.Invalid("pubkey is not 64 lower-case hex characters");
        }

        if (!IsLowerHexInto(e.Id, claimedId))
        {
            return EventCheck.Invalid("id is not 64 lower-case hex characters");
        }

        if (!e.TryCopySignature(sig))
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
        if (hasPrecomputed)
        {
            precomputed.CopyTo(computed);
        }
        else
        {
            try
            {
                EventId.Compute(e.PubKey, e.CreatedAt, e.Kind, e.Tags, e.Content, computed);
            }
            catch (EventFormatException ex)
            {
                return EventCheck.Invalid(ex.Message);
            }
        }

        if (!CryptographicOperations.FixedTimeEquals(computed, claimedId))
        {
            return EventCheck.Invalid("id mismatch: computed " + Convert.ToHexStringLower(computed));
        }

        nint ctx = Secp256k1Context.Handle;
        cached ??= keys is null ? ParseKey(ctx, pubKey) : keys.Add(e.PubKey, ParseKey(ctx, pubKey));
        if (!cached.Valid)
        {
            return EventCheck.Invalid("pubkey is not a valid x-only key");
        }

        fixed (byte* parsed = cached.Parsed)
        fixed (byte* id = computed)
        fixed (byte* s = sig)
        {
            return Schnorr.VerifyParsed(ctx, s, id, 32, parsed) ? EventCheck.Valid : EventCheck.Invalid("bad signature");
        }
    }

    private static ParsedKey ParseKey(nint ctx, ReadOnlySpan<byte> pubKey32)
    {
        byte[] parsed = new byte[Secp256k1Native.XOnlyPubKeySize];
        fixed (byte* pk = pubKey32)
        fixed (byte* p = parsed)
        {
            return Schnorr.TryParseXOnly(ctx, pk, p) ? new ParsedKey(parsed, true) : ParsedKey.Invalid;
        }
    }

    /// <summary>True when <see cref="Verify"/> finds nothing wrong.</summary>
    public static bool IsValid(NostrEvent e) => Verify(e).IsValid;

    private static bool IsLowerHexInto(string? value, Span<byte> destination) =>
        value is not null && Hex.IsLowerHex(value, destination.Length * 2) && Hex.TryDecode(value, destination);

    /// <summary>
    /// Parsed x-only public keys by their hex text, shared by the verifications of one batch (pass one
    /// instance to every <see cref="Verify(NostrEvent, PublicKeyCache?)"/> call; thread-safe). Bounded:
    /// past <see cref="Capacity"/> distinct keys new ones are parsed each time instead of stored, so a
    /// batch of events from many authors cannot grow it without limit.
    /// </summary>
    public sealed class PublicKeyCache(int capacity = 1024)
    {
        private readonly ConcurrentDictionary<string, ParsedKey> _keys = new(StringComparer.Ordinal);

        /// <summary>The most distinct keys kept.</summary>
        public int Capacity { get; } = capacity > 0 ? capacity : throw new ArgumentOutOfRangeException(nameof(capacity), capacity, "the capacity must be positive");

        /// <summary>How many distinct keys are held.</summary>
        public int Count => _keys.Count;

        internal bool TryGet(string hex, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out ParsedKey? key) =>
            _keys.TryGetValue(hex, out key);

        internal ParsedKey Add(string hex, ParsedKey key) =>
            _keys.Count < Capacity ? _keys.GetOrAdd(hex, key) : key;
    }

    /// <summary>libsecp256k1's parsed form of a key, or the verdict that the key is not on the curve.</summary>
    internal sealed class ParsedKey(byte[] parsed, bool valid)
    {
        public static readonly ParsedKey Invalid = new([], false);

        public byte[] Parsed { get; } = parsed;

        public bool Valid { get; } = valid;
    }
}
