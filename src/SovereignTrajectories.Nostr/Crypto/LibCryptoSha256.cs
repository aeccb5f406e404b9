using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace SovereignTrajectories.Nostr.Crypto;

/// <summary>
/// OpenSSL 3's low-level <c>SHA256_Init/Update/Final</c>, resolved once from <c>libcrypto.so.3</c>.
/// They are deprecated in 3.0 but exported for the whole 3.x ABI, and they skip the EVP layer
/// (error-queue clearing, context malloc/free, algorithm fetch) that dominates
/// <see cref="SHA256.HashData(ReadOnlySpan{byte}, Span{byte})"/> for small inputs.
/// </summary>
internal sealed unsafe class LibCryptoSha256
{
    /// <summary>The table, or null when the library or one of its exports is missing (macOS, Windows, OpenSSL 1.1 or 4).</summary>
    internal static readonly LibCryptoSha256? Instance = TryLoad();

    // Ordinary transitions: measured, SuppressGCTransition saved nothing visible even at 64 bytes, and
    // it would hold up a garbage collection for the length of a large input.
    private readonly delegate* unmanaged<void*, int> _init;
    private readonly delegate* unmanaged<void*, byte*, nuint, int> _update;
    private readonly delegate* unmanaged<byte*, void*, int> _final;

    private LibCryptoSha256(nint init, nint update, nint final)
    {
        _init = (delegate* unmanaged<void*, int>)init;
        _update = (delegate* unmanaged<void*, byte*, nuint, int>)update;
        _final = (delegate* unmanaged<byte*, void*, int>)final;
    }

    [SkipLocalsInit]
    public void Hash(ReadOnlySpan<byte> data, Span<byte> destination32)
    {
        Context context;
        void* ctx = &context;
        Init(ctx);
        Update(ctx, data);
        Final(ctx, destination32);
    }

    private void Init(void* ctx) => Check(_init(ctx), "SHA256_Init");

    private void Update(void* ctx, ReadOnlySpan<byte> data)
    {
        if (data.IsEmpty)
        {
            return;
        }

        fixed (byte* p = data)
        {
            Check(_update(ctx, p, (nuint)data.Length), "SHA256_Update");
        }
    }

    private void Final(void* ctx, Span<byte> destination32)
    {
        fixed (byte* d = destination32)
        {
            Check(_final(d, ctx), "SHA256_Final");
        }
    }

    private static void Check(int result, string function)
    {
        if (result != 1)
        {
            throw new CryptographicException($"libcrypto {function} returned {result}");
        }
    }

    private static LibCryptoSha256? TryLoad()
    {
        // .NET's own OpenSSL shim has usually loaded this already, so this only takes another reference.
        if (!NativeLibrary.TryLoad("libcrypto.so.3", out nint library))
        {
            return null;
        }

        if (NativeLibrary.TryGetExport(library, "SHA256_Init", out nint init)
            && NativeLibrary.TryGetExport(library, "SHA256_Update", out nint update)
            && NativeLibrary.TryGetExport(library, "SHA256_Final", out nint final))
        {
            // Kept loaded for the life of the process: the table points into it.
            return new LibCryptoSha256(init, update, final);
        }

        NativeLibrary.Free(library);
        return null;
    }

    /// <summary>
    /// Room for a SHA256_CTX (112 bytes of 32-bit words on every 3.x build), rounded up to 128 so a
    /// build that grows it a little still fits.
    /// </summary>
    [InlineArray(16)]
    internal struct Context
    {
        private ulong _element;
    }
}
