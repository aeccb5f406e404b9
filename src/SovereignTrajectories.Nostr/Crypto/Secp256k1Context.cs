using System.Reflection;
using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace SovereignTrajectories.Nostr.Crypto;

/// <summary>
/// The one process-wide libsecp256k1 context. It is created and randomised once, on first use;
/// after that the library only reads it, which is what makes concurrent sign/verify safe
/// (secp256k1.h: a context may be used from several threads as long as it is not modified).
/// </summary>
internal static unsafe class Secp256k1Context
{
    private static readonly string[] Candidates = ["libsecp256k1.so.1", "libsecp256k1.so", "libsecp256k1.dylib", "libsecp256k1.2.dylib", "libsecp256k1.1.dylib", "secp256k1.dll", "libsecp256k1-2.dll"];

    private static readonly Lazy<nint> Context = new(Create, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>The context pointer; throws <see cref="Secp256k1UnavailableException"/> when the library is missing.</summary>
    public static nint Handle => Context.Value;

    private static nint Create()
    {
        nint library = Load();

        // Registered only once because Lazy runs this factory once; a second registration would throw.
        NativeLibrary.SetDllImportResolver(
            typeof(Secp256k1Context).Assembly,
            (name, _, _) => name == Secp256k1Native.LibraryName ? library : 0);

        nint ctx = Secp256k1Native.secp256k1_context_create(Secp256k1Native.ContextSignVerify);
        if (ctx == 0)
        {
            throw new Secp256k1UnavailableException("libsecp256k1 could not create a context");
        }

        // Randomisation blinds the signing scalar multiplications against side channels.
        Span<byte> seed = stackalloc byte[32];
        RandomNumberGenerator.Fill(seed);
        try
        {
            fixed (byte* s = seed)
            {
                if (Secp256k1Native.secp256k1_context_randomize(ctx, s) != 1)
                {
                    throw new Secp256k1UnavailableException("libsecp256k1 could not randomise its context");
                }
            }
        }
        finally
        {
            CryptographicOperations.ZeroMemory(seed);
        }

        return ctx;
    }

    private static nint Load()
    {
        Assembly assembly = typeof(Secp256k1Context).Assembly;
        foreach (string candidate in Candidates)
        {
            if (NativeLibrary.TryLoad(candidate, assembly, DllImportSearchPath.SafeDirectories | DllImportSearchPath.AssemblyDirectory, out nint handle))
            {
                if (NativeLibrary.TryGetExport(handle, "secp256k1_schnorrsig_verify", out _))
                {
                    return handle;
                }

                NativeLibrary.Free(handle);
                throw new Secp256k1UnavailableException(
                    $"the installed {candidate} was built without the schnorrsig module; install libsecp256k1 0.2 or newer (Debian: libsecp256k1-1 from bookworm, macOS: brew install secp256k1)");
            }
        }

        throw new Secp256k1UnavailableException();
    }
}
