using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using SovereignTrajectories.Nostr.Crypto;
using SovereignTrajectories.Nostr.Keys;

namespace SovereignTrajectories.Nostr.Nip44;

/// <summary>
/// NIP-44 version 2 encrypted payloads: conversation key = HKDF-extract(salt "nip44-v2", ECDH x);
/// per message HKDF-expand(conversation key, nonce) to a ChaCha20 key and nonce and an HMAC-SHA256
/// key; the plaintext is length-prefixed and padded to hide its size; the payload is
/// base64(0x02 || nonce || ciphertext || HMAC(nonce || ciphertext)).
/// </summary>
public static class Nip44Encryption
{
    /// <summary>Shortest plaintext in UTF-8 bytes.</summary>
    public const int MinPlaintextBytes = 1;

    /// <summary>Longest plaintext in UTF-8 bytes (its length must fit the two-byte prefix).</summary>
    public const int MaxPlaintextBytes = 65535;

    private const byte Version = 2;
    private const int NonceBytes = 32;
    private const int MacBytes = 32;
    private static readonly byte[] Salt = "nip44-v2"u8.ToArray();
    private static readonly UTF8Encoding StrictUtf8 = new(false, throwOnInvalidBytes: true);

    /// <summary>The conversation key shared by <paramref name="secret"/> and the holder of <paramref name="peer"/> (the same from both sides).</summary>
    /// <exception cref="ArgumentException">The peer key is not a point on the curve.</exception>
    public static byte[] ConversationKey(SecretKey secret, PublicKey peer)
    {
        ArgumentNullException.ThrowIfNull(peer);
        return ConversationKey(secret, peer.ToBytes());
    }

    /// <inheritdoc cref="ConversationKey(SecretKey, PublicKey)"/>
    public static byte[] ConversationKey(SecretKey secret, ReadOnlySpan<byte> peerXOnly32)
    {
        ArgumentNullException.ThrowIfNull(secret);
        Span<byte> shared = stackalloc byte[32];
        try
        {
            Ecdh.SharedX(secret, peerXOnly32, shared);
            byte[] key = new byte[32];
            HKDF.Extract(HashAlgorithmName.SHA256, shared, Salt, key);
            return key;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(shared);
        }
    }

    /// <summary>The ChaCha20 key and nonce and the HMAC key for one message.</summary>
    public static Nip44MessageKeys MessageKeys(ReadOnlySpan<byte> conversationKey, ReadOnlySpan<byte> nonce)
    {
        if (conversationKey.Length != 32)
        {
            throw new ArgumentException("a NIP-44 conversation key is 32 bytes", nameof(conversationKey));
        }

        if (nonce.Length != NonceBytes)
        {
            throw new ArgumentException("a NIP-44 nonce is 32 bytes", nameof(nonce));
        }

        Span<byte> keys = stackalloc byte[76];
        HKDF.Expand(HashAlgorithmName.SHA256, conversationKey, keys, nonce);
        var result = new Nip44MessageKeys(keys[..32].ToArray(), keys.Slice(32, 12).ToArray(), keys.Slice(44, 32).ToArray());
        CryptographicOperations.ZeroMemory(keys);
        return result;
    }

    /// <summary>The padded length for a plaintext of <paramref name="length"/> bytes: 32 at least, then steps of an eighth of the next power of two.</summary>
    public static int PaddedLength(int length)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(length, 1);
        if (length <= 32)
        {
            return 32;
        }

        int nextPower = 1 << (32 - System.Numerics.BitOperations.LeadingZeroCount((uint)(length - 1)));
        int chunk = nextPower <= 256 ? 32 : nextPower / 8;
        return chunk * (((length - 1) / chunk) + 1);
    }

    /// <summary>Encrypts <paramref name="plaintext"/> with a fresh random nonce.</summary>
    public static string Encrypt(string plaintext, ReadOnlySpan<byte> conversationKey)
    {
        Span<byte> nonce = stackalloc byte[NonceBytes];
        RandomNumberGenerator.Fill(nonce);
        return Encrypt(plaintext, conversationKey, nonce);
    }

    /// <summary>Encrypts with the given nonce. A nonce must never be used twice with one key: for test vectors only.</summary>
    /// <exception cref="Nip44Exception">The plaintext is empty, longer than 65,535 UTF-8 bytes, or not valid Unicode.</exception>
    public static string Encrypt(string plaintext, ReadOnlySpan<byte> conversationKey, ReadOnlySpan<byte> nonce)
    {
        ArgumentNullException.ThrowIfNull(plaintext);
        byte[] text;
        try
        {
            text = StrictUtf8.GetBytes(plaintext);
        }
        catch (EncoderFallbackException ex)
        {
            throw new Nip44Exception("the plaintext is not valid Unicode (a lone surrogate)", ex);
        }

        if (text.Length is < MinPlaintextBytes or > MaxPlaintextBytes)
        {
            throw new Nip44Exception($"plaintext of {text.Length} bytes: NIP-44 encrypts {MinPlaintextBytes} to {MaxPlaintextBytes} bytes");
        }

        Nip44MessageKeys keys = MessageKeys(conversationKey, nonce);
        int padded = 2 + PaddedLength(text.Length);
        byte[] payload = new byte[1 + NonceBytes + padded + MacBytes];
        payload[0] = Version;
        nonce.CopyTo(payload.AsSpan(1));
        Span<byte> body = payload.AsSpan(1 + NonceBytes, padded);
        BinaryPrimitives.WriteUInt16BigEndian(body, (ushort)text.Length);
        text.CopyTo(body[2..]);
        ChaCha20.Xor(keys.ChaChaKey, keys.ChaChaNonce, 0, body, body);
        HMACSHA256.HashData(keys.HmacKey, payload.AsSpan(1, NonceBytes + padded), payload.AsSpan(1 + NonceBytes + padded));
        Forget(keys);
        CryptographicOperations.ZeroMemory(text);
        return Convert.ToBase64String(payload);
    }

    /// <summary>Decrypts a version 2 payload, checking its size, MAC and padding.</summary>
    /// <exception cref="Nip44Exception">The payload breaks a rule of NIP-44 v2; the message names it.</exception>
    public static string Decrypt(string payload, ReadOnlySpan<byte> conversationKey)
    {
        ArgumentNullException.ThrowIfNull(payload);
        if (payload.Length > 0 && payload[0] == '#')
        {
            throw new Nip44Exception("unknown encryption version (the payload is not base64 version 2)");
        }

        if (payload.Length is < 132 or > 87472)
        {
            throw new Nip44Exception($"invalid payload size: {payload.Length} characters, version 2 has 132 to 87,472");
        }

        byte[] data;
        try
        {
            data = Convert.FromBase64String(payload);
        }
        catch (FormatException ex)
        {
            throw new Nip44Exception("invalid base64 in the payload", ex);
        }

        if (data.Length is < 99 or > 65603)
        {
            throw new Nip44Exception($"invalid data size: {data.Length} bytes, version 2 has 99 to 65,603");
        }

        if (data[0] != Version)
        {
            throw new Nip44Exception($"unknown encryption version {data[0]}");
        }

        ReadOnlySpan<byte> nonce = data.AsSpan(1, NonceBytes);
        int padded = data.Length - 1 - NonceBytes - MacBytes;
        Nip44MessageKeys keys = MessageKeys(conversationKey, nonce);
        Span<byte> mac = stackalloc byte[MacBytes];
        HMACSHA256.HashData(keys.HmacKey, data.AsSpan(1, NonceBytes + padded), mac);
        if (!CryptographicOperations.FixedTimeEquals(mac, data.AsSpan(data.Length - MacBytes)))
        {
            Forget(keys);
            throw new Nip44Exception("invalid MAC: the payload was altered or the conversation key is wrong");
        }

        Span<byte> body = data.AsSpan(1 + NonceBytes, padded);
        ChaCha20.Xor(keys.ChaChaKey, keys.ChaChaNonce, 0, body, body);
        Forget(keys);
        int length = BinaryPrimitives.ReadUInt16BigEndian(body);
        if (length < MinPlaintextBytes || 2 + length > body.Length || body.Length != 2 + PaddedLength(length))
        {
            CryptographicOperations.ZeroMemory(body);
            throw new Nip44Exception("invalid padding");
        }

        try
        {
            return StrictUtf8.GetString(body.Slice(2, length));
        }
        catch (DecoderFallbackException ex)
        {
            throw new Nip44Exception("the plaintext is not valid UTF-8", ex);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(body);
        }
    }

    private static void Forget(Nip44MessageKeys keys)
    {
        CryptographicOperations.ZeroMemory(keys.ChaChaKey);
        CryptographicOperations.ZeroMemory(keys.HmacKey);
    }
}
