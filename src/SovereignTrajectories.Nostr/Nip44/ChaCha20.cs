using System.Buffers.Binary;
using System.Numerics;
using System.Security.Cryptography;

namespace SovereignTrajectories.Nostr.Nip44;

/// <summary>
/// The ChaCha20 stream cipher of RFC 8439 §2.4 (32-byte key, 96-bit nonce, 32-bit block counter).
/// .NET ships ChaCha20 only inside the ChaCha20-Poly1305 AEAD, and NIP-44 uses the bare cipher with
/// its own HMAC, so the block function is written here.
/// </summary>
public static class ChaCha20
{
    private const int BlockSize = 64;

    /// <summary>XORs <paramref name="input"/> with the key stream starting at block <paramref name="counter"/> into <paramref name="output"/> (same length; may be the same buffer).</summary>
    public static void Xor(ReadOnlySpan<byte> key32, ReadOnlySpan<byte> nonce12, uint counter, ReadOnlySpan<byte> input, Span<byte> output)
    {
        if (key32.Length != 32)
        {
            throw new ArgumentException("ChaCha20 needs a 32-byte key", nameof(key32));
        }

        if (nonce12.Length != 12)
        {
            throw new ArgumentException("ChaCha20 needs a 12-byte nonce", nameof(nonce12));
        }

        if (output.Length < input.Length)
        {
            throw new ArgumentException("output is shorter than input", nameof(output));
        }

        Span<uint> state = stackalloc uint[16];
        state[0] = 0x61707865; // "expand 32-byte k"
        state[1] = 0x3320646e;
        state[2] = 0x79622d32;
        state[3] = 0x6b206574;
        for (int i = 0; i < 8; i++)
        {
            state[4 + i] = BinaryPrimitives.ReadUInt32LittleEndian(key32.Slice(i * 4, 4));
        }

        state[12] = counter;
        for (int i = 0; i < 3; i++)
        {
            state[13 + i] = BinaryPrimitives.ReadUInt32LittleEndian(nonce12.Slice(i * 4, 4));
        }

        Span<uint> working = stackalloc uint[16];
        Span<byte> stream = stackalloc byte[BlockSize];
        try
        {
            for (int offset = 0; offset < input.Length; offset += BlockSize)
            {
                Block(state, working, stream);
                int n = Math.Min(BlockSize, input.Length - offset);
                for (int i = 0; i < n; i++)
                {
                    output[offset + i] = (byte)(input[offset + i] ^ stream[i]);
                }

                state[12]++;
            }
        }
        finally
        {
            // The key schedule and key stream are secret material.
            CryptographicOperations.ZeroMemory(System.Runtime.InteropServices.MemoryMarshal.AsBytes(state));
            CryptographicOperations.ZeroMemory(System.Runtime.InteropServices.MemoryMarshal.AsBytes(working));
            CryptographicOperations.ZeroMemory(stream);
        }
    }

    private static void Block(ReadOnlySpan<uint> state, Span<uint> x, Span<byte> output)
    {
        state.CopyTo(x);
        for (int round = 0; round < 10; round++)
        {
            Quarter(x, 0, 4, 8, 12);
            Quarter(x, 1, 5, 9, 13);
            Quarter(x, 2, 6, 10, 14);
            Quarter(x, 3, 7, 11, 15);
            Quarter(x, 0, 5, 10, 15);
            Quarter(x, 1, 6, 11, 12);
            Quarter(x, 2, 7, 8, 13);
            Quarter(x, 3, 4, 9, 14);
        }

        for (int i = 0; i < 16; i++)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(output.Slice(i * 4, 4), x[i] + state[i]);
        }
    }

    private static void Quarter(Span<uint> x, int a, int b, int c, int d)
    {
        x[a] += x[b];
        x[d] = BitOperations.RotateLeft(x[d] ^ x[a], 16);
        x[c] += x[d];
        x[b] = BitOperations.RotateLeft(x[b] ^ x[c], 12);
        x[a] += x[b];
        x[d] = BitOperations.RotateLeft(x[d] ^ x[a], 8);
        x[c] += x[d];
        x[b] = BitOperations.RotateLeft(x[b] ^ x[c], 7);
    }
}
